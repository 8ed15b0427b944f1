import fastifyStatic from '@fastify/static';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../../errors/problem-error';

export interface WebAppOptions {
  /** Folder holding index.html and assets; null serves no web app (every unknown path is a 404 problem). */
  root: string | null;
}

// Vite puts content-hashed files under /assets: they can be cached for good.
const IMMUTABLE = 'public, max-age=31536000, immutable';

const wantsHtml = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  !request.url.startsWith('/api/') &&
  request.url !== '/api' &&
  (request.headers.accept ?? '').includes('text/html');

/**
 * Serves the built React app from the API's origin. Unknown non-API paths
 * that a browser navigates to get index.html (client-side routing); unknown
 * /api paths and everything else get a 404 problem.
 */
export default fp<WebAppOptions>(
  async (fastify, { root }) => {
    if (root) {
      await fastify.register(fastifyStatic, {
        root,
        wildcard: true,
        index: ['index.html'],
        // Our own policy below instead of send's max-age=0 for everything.
        cacheControl: false,
        setHeaders: (res, path) => res.setHeader('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache'),
      });
    }

    fastify.setNotFoundHandler(async (request, reply) => {
      if (root && wantsHtml(request)) return reply.sendFile('index.html');
      throw new ProblemError(404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`);
    });
  },
  { name: 'web-app', dependencies: ['error-handler'] },
);
