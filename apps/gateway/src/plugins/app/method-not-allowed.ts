import type { FastifyInstance, FastifyPluginAsync, HTTPMethods, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../../errors/problem-error';

// CORS answers preflights for every path (its OPTIONS * route); a 405 route would shadow it.
const LEFT_TO_OTHERS: ReadonlySet<string> = new Set(['OPTIONS']);

/**
 * 405 Method Not Allowed with an `Allow` header for a method a known path does not declare
 * (RFC 9110 section 15.5.6), instead of the router's 404. The declared methods come from the
 * route table itself: `collect` watches every route registered after it (onRoute), and `answer`,
 * registered after the last route, adds one hidden route per path for the remaining methods.
 * Wildcard routes (static files, the docs UI) are left alone: they have no fixed set of methods.
 */
export function undeclaredMethods(): { collect: FastifyPluginAsync; answer: FastifyPluginAsync } {
  const declared = new Map<string, Set<string>>();

  const collect = fp(
    async (fastify) => {
      fastify.addHook('onRoute', (route: RouteOptions) => {
        if (route.url.includes('*')) return;
        const methods = declared.get(route.url) ?? new Set<string>();
        for (const method of [route.method].flat()) methods.add(method.toUpperCase());
        declared.set(route.url, methods);
      });
    },
    { name: 'method-not-allowed-collect' },
  );

  const answer = fp(
    async (fastify) => {
      for (const [url, methods] of [...declared]) addAnswerRoute(fastify, url, methods);
    },
    { name: 'method-not-allowed', dependencies: ['method-not-allowed-collect', 'error-handler'] },
  );

  return { collect, answer };
}

function addAnswerRoute(fastify: FastifyInstance, url: string, methods: ReadonlySet<string>): void {
  // hasRoute as well: a prefixed plugin route may be registered under two spellings ('/docs', '/docs/') with one onRoute call.
  const others = fastify.supportedMethods.filter(
    (m) => !methods.has(m) && !LEFT_TO_OTHERS.has(m) && !fastify.hasRoute({ method: m as HTTPMethods, url }),
  ) as HTTPMethods[];
  if (others.length === 0) return;
  const allow = [...methods].sort().join(', ');
  fastify.route({
    method: others,
    url,
    schema: { hide: true },
    // Answered at onRequest: before body parsing, so the body of a refused method is never read or judged.
    onRequest: (request, _reply, done) =>
      done(new ProblemError(405, 'method_not_allowed', `${request.method} is not allowed here; allowed: ${allow}.`, { allow })),
    handler: async () => undefined,
  });
}
