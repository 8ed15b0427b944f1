import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { ProblemError } from '../../errors/problem-error';

/**
 * Route-level limits only (`global: false`): POST /api/sessions opts in
 * through its route config. The in-memory store is a bounded LRU per
 * process, keyed by client address (request.ip: from X-Forwarded-For only
 * through the hops TRUST_PROXY names, never the client-written left end).
 * The plugin sets Retry-After and the RateLimit headers before the error
 * reaches the error handler.
 */
export default fp(
  async (fastify) => {
    await fastify.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new ProblemError(429, 'rate_limited', `Too many requests from this address; retry in ${context.after}.`),
    });
  },
  { name: 'rate-limit' },
);
