import type { FastifyPluginAsync } from 'fastify';
import { ProblemError } from '../errors/problem-error';
import { jsonResponse, problemResponses } from '../schemas/route-schemas';

/** Liveness (the process answers) and readiness (the session service, and through it the database, answers). */
const healthRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get(
    '/healthz',
    { schema: { summary: 'Liveness', tags: ['operations'], response: { 200: jsonResponse('The process is running', 'Health') } } },
    async () => ({ status: 'ok' }),
  );

  fastify.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness',
        description:
          'Ready when the session service reports SERVING on grpc.health.v1 (it reports NOT_SERVING while its database is unreachable).',
        tags: ['operations'],
        response: { 200: jsonResponse('Ready to serve', 'Health'), ...problemResponses(503) },
      },
    },
    async (request) => {
      const status = await fastify.sessionServiceHealth().catch((err: unknown) => {
        request.log.warn({ err }, 'session service health check failed');
        return 'UNREACHABLE';
      });
      if (status !== 'SERVING') throw new ProblemError(503, 'session_service_unavailable', `The session service is ${status}.`);
      return { status: 'ok' };
    },
  );
};

export default healthRoutes;
