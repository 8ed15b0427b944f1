import type { FastifyPluginAsync } from 'fastify';
import { ProblemError } from '../errors/problem-error';
import { BODY_FAILURES, COMMON_FAILURES, ETAG_HEADER, jsonResponse, problemResponses, requestHeaders, SESSION_SECURITY } from '../schemas/route-schemas';
import { callOptions, sessionBody, tokenOf } from './route-context';

/** Reading, extending and ending the session the request authenticates with. */
const currentSessionRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get(
    '/api/sessions/current',
    {
      schema: {
        summary: 'Validate and read the current session',
        description: 'Checks the token (extending the idle expiry) and returns the session with its version as ETag.',
        tags: ['sessions'],
        security: SESSION_SECURITY,
        headers: requestHeaders,
        response: { 200: jsonResponse('The session', 'SessionResponse', ETAG_HEADER), ...problemResponses(...COMMON_FAILURES, 401) },
      },
      preHandler: fastify.requireCredential,
    },
    async (request, reply) => {
      const { session } = await fastify.sessionApi.validateSession({ token: tokenOf(request) }, callOptions(request));
      return sessionBody(reply, session);
    },
  );

  fastify.post(
    '/api/sessions/current/touch',
    {
      schema: {
        summary: 'Extend the current session',
        description: 'Slides the idle expiry forward (never past the absolute expiry).',
        tags: ['sessions'],
        security: SESSION_SECURITY,
        headers: requestHeaders,
        response: { 200: jsonResponse('The extended session', 'SessionResponse', ETAG_HEADER), ...problemResponses(...COMMON_FAILURES, 401, 403, 413, 415) },
      },
      preHandler: fastify.requireCredential,
    },
    async (request, reply) => {
      const { session } = await fastify.sessionApi.touchSession({ token: tokenOf(request) }, callOptions(request));
      return sessionBody(reply, session);
    },
  );

  fastify.delete(
    '/api/sessions/current',
    {
      schema: {
        summary: 'Log out',
        description: 'Revokes the current session and clears the session cookie.',
        tags: ['sessions'],
        security: SESSION_SECURITY,
        headers: requestHeaders,
        response: { 204: { description: 'Logged out; the cookie is cleared', type: 'null' }, ...problemResponses(...COMMON_FAILURES, ...BODY_FAILURES, 401, 403) },
      },
      preHandler: fastify.requireCredential,
    },
    async (request, reply) => {
      const { revoked } = await fastify.sessionApi.revokeSession({ token: tokenOf(request) }, callOptions(request));
      // Already revoked or expired: the token no longer authenticates anything.
      if (!revoked) throw new ProblemError(401, 'unauthenticated', 'The session has already ended.');
      if (request.credential?.source === 'cookie') reply.clearSessionCookie();
      return reply.code(204).send();
    },
  );
};

export default currentSessionRoutes;
