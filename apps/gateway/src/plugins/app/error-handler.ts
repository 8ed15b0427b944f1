import { PROBLEM_CONTENT_TYPE } from '@session/rest-contract';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../../errors/problem-error';
import { toProblem } from '../../errors/to-problem';

const problemContext = (request: FastifyRequest) => ({
  requestId: request.id,
  instance: request.url.split('?')[0],
  sentIfMatch: request.headers['if-match'] !== undefined,
});

/** 503 and 504: the session service (or its database) is away or slow; expected during outages, retried by clients. */
const EXPECTED_UNAVAILABLE = new Set([503, 504]);

/**
 * The gateway's one error edge: every failure becomes problem+json through
 * toProblem. Unexpected 5xx are logged with the error (the client gets no
 * internals); 4xx are ordinary outcomes, logged at info without a stack.
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error, request, reply) => {
      const { problem, headers } = toProblem(error, problemContext(request));
      const summary = { status: problem.status, code: problem.code, field: problem.field };
      if (problem.status < 500) request.log.info(summary, 'request rejected');
      // A 5xx the gateway decided on (e.g. not ready) is expected; anything else is logged with the error.
      else if (error instanceof ProblemError) request.log.warn(summary, 'request failed');
      // Unavailable or out of time: an outage to watch, not a bug; the gRPC message says which, no stack needed.
      else if (EXPECTED_UNAVAILABLE.has(problem.status))
        request.log.warn({ ...summary, reason: (error as Error).message }, 'request failed');
      else request.log.error({ ...summary, err: error }, 'request failed');
      return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
    });
  },
  { name: 'error-handler' },
);
