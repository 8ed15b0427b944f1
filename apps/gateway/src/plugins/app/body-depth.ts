import fp from 'fastify-plugin';
import { ProblemError } from '../../errors/problem-error';
import { USER_DATA_MAX_DEPTH } from '../../schemas/user-data-schemas';
import { jsonDepth } from '../../sessions/user-data-guard';

// The deepest body a route takes: { user_data: <16 levels> }.
const MAX_BODY_DEPTH = USER_DATA_MAX_DEPTH + 1;

/**
 * Refuses a JSON body nested deeper than any route takes before schema validation sees it: the
 * user-data schema is recursive, and a validator walking a 10,000-deep value would exhaust the
 * stack (a 500). The walk here is iterative. The exact per-route limit is user-data-guard's.
 */
export default fp(
  async (fastify) => {
    fastify.addHook('preValidation', (request, _reply, done) => {
      const { body } = request;
      if (typeof body === 'object' && body !== null && jsonDepth(body) > MAX_BODY_DEPTH) {
        return done(new ProblemError(400, 'invalid_user_data', `user_data is nested deeper than ${USER_DATA_MAX_DEPTH} levels`));
      }
      done();
    });
  },
  { name: 'body-depth' },
);
