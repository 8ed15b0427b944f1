import fp from 'fastify-plugin';

/**
 * Echoes the request id (minted or accepted in genReqId) so a client can
 * quote it, and keeps API answers, which carry session state or errors
 * about it, out of every cache.
 */
export default fp(
  async (fastify) => {
    fastify.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
      if (request.url.startsWith('/api/') || request.url === '/api') reply.header('cache-control', 'no-store');
    });
  },
  { name: 'request-context' },
);
