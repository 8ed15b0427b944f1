import cookie from '@fastify/cookie';
import fp from 'fastify-plugin';

/** Cookie parsing and Set-Cookie; the session cookie itself is unsigned: the token is its own proof. */
export default fp(
  async (fastify) => {
    await fastify.register(cookie);
  },
  { name: 'cookie' },
);
