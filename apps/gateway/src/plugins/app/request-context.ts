import fp from 'fastify-plugin';

/**
 * Echoes the request id (minted or accepted in genReqId) so a client can
 * quote it, and keeps API answers, which carry session state or errors
 * about it, out of every cache.
 */
export default fp(
  async (fastify) => {
    // Callback style, as the other per-request hooks: an async hook costs a promise and a microtask on every request.
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      if (request.url.startsWith('/api/') || request.url === '/api') reply.header('cache-control', 'no-store');
      done();
    });
  },
  { name: 'request-context' },
);
