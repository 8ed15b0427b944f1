import type { FastifyPluginAsync } from 'fastify';
import { versionToEtag } from '@session/rest-contract';
import { ProblemError } from '../../errors/problem-error';
import { BODY_FAILURES, ETAG_HEADER, jsonResponse, problemResponses } from '../../schemas/route-schemas';
import { validatedSessionDto } from '../../sessions/validated-session-dto';
import { writeThroughCache } from '../../sessions/write-through-cache';
import { callOptions, sessionBody, tokenOf } from '../route-context';

/** Reading, extending and ending the session the request authenticates with. */
const currentSessionRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get(
    '/api/sessions/current',
    {
      schema: {
        summary: 'Validate and read the current session',
        description:
          'Checks the token and returns the session with its version as ETag. Answered from the near cache when it holds the session ' +
          '(activity is reported in batches); otherwise validated at the session service, which extends the idle expiry.',
        response: { 200: jsonResponse('The session', 'SessionResponse', ETAG_HEADER) },
      },
    },
    async (request, reply) => {
      const session = validatedSessionDto(await fastify.currentSession(request));
      reply.header('etag', versionToEtag(session.version));
      return { session };
    },
  );

  fastify.post(
    '/api/sessions/current/touch',
    {
      schema: {
        summary: 'Extend the current session',
        description: 'Slides the idle expiry forward (never past the absolute expiry).',
        response: { 200: jsonResponse('The extended session', 'SessionResponse', ETAG_HEADER), ...problemResponses(403, ...BODY_FAILURES) },
      },
    },
    async (request, reply) => {
      const token = tokenOf(request);
      const session = await writeThroughCache(
        fastify.sessionCache,
        token,
        async () => (await fastify.sessionApi.touchSession({ token }, callOptions(request))).session,
      );
      return sessionBody(reply, session);
    },
  );

  fastify.delete(
    '/api/sessions/current',
    {
      schema: {
        summary: 'Log out',
        description: 'Revokes the current session and clears the session cookie.',
        response: { 204: { description: 'Logged out; the cookie is cleared', type: 'null' }, ...problemResponses(...BODY_FAILURES, 403) },
      },
    },
    async (request, reply) => {
      const token = tokenOf(request);
      // Dropped whatever the answer: after a logout attempt this gateway asks the service again.
      const { revoked } = await fastify.sessionApi
        .revokeSession({ token }, callOptions(request))
        .finally(() => fastify.sessionCache.drop(token));
      // Already revoked or expired: the token no longer authenticates anything.
      if (!revoked) throw new ProblemError(401, 'unauthenticated', 'The session has already ended.');
      if (request.credential?.source === 'cookie') reply.clearSessionCookie();
      return reply.code(204).send();
    },
  );
};

export default currentSessionRoutes;
