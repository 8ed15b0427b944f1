import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/**
 * Off unless CORS_ORIGINS lists origins: the web app is served from the same
 * origin as /api. Listed origins may call with credentials and read the
 * headers the session client needs.
 */
export default fp(
  async (fastify) => {
    const origins = fastify.config.corsOrigins;
    if (origins.length === 0) return;
    await fastify.register(cors, {
      origin: [...origins],
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id', 'Location'],
      maxAge: 600,
    });
  },
  { name: 'cors', dependencies: ['config'] },
);
