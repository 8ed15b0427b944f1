import type { RevokeOtherSessionsResponseDto, SessionDto, SessionListResponseDto, SessionSummaryDto } from '@session/rest-contract';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ProblemError } from '../../errors/problem-error';
import {
  BODY_FAILURES,
  jsonResponse,
  problemResponses,
  revokeScopeQuery,
  sessionIdParams,
  sessionListQuery,
} from '../../schemas/route-schemas';
import { toSessionDto } from '../../sessions/session-dto';
import { callOptions } from '../route-context';

/** The signed-in user's list of sessions, revoking one of them, and revoking all but the current one. */
const sessionListRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Querystring: { page_size?: string; page_token?: string } }>(
    '/api/sessions',
    {
      schema: {
        summary: "List the current user's sessions",
        description:
          'The live sessions of the user the current session is bound to, newest first, one page at a time (without user_data); ' +
          'follow next_page_token until it is null; `current` marks the session making the request. ' +
          '403 for an anonymous session; 400 for a page_token this API did not issue.',
        querystring: sessionListQuery,
        response: { 200: jsonResponse('One page of sessions', 'SessionListResponse'), ...problemResponses(403, 502) },
      },
    },
    async (request): Promise<SessionListResponseDto> => {
      const { userId, sessionId: currentId } = await signedInSession(request);
      const { page_size, page_token = '' } = request.query;
      const page = await fastify.sessionApi.listUserSessions(
        { user_id: userId, page_size: Number(page_size ?? 0), page_token },
        callOptions(request),
      );
      return {
        sessions: page.sessions.map((session) => {
          // The service sent no user_data; the REST shape has no empty stand-in either, and claims are read on the session itself.
          const summary: Partial<SessionDto> = toSessionDto(session);
          delete summary.user_data;
          delete summary.claims;
          return { ...summary, current: session.session_id === currentId } as SessionSummaryDto;
        }),
        next_page_token: page.next_page_token || null,
      };
    },
  );

  fastify.delete<{ Querystring: { scope: 'others' } }>(
    '/api/sessions',
    {
      schema: {
        summary: "Sign out the current user's other sessions",
        description: 'Revokes every session of the signed-in user except the one making the request. 403 for an anonymous session.',
        querystring: revokeScopeQuery,
        response: { 200: jsonResponse('How many sessions ended', 'RevokedCount'), ...problemResponses(...BODY_FAILURES, 403) },
      },
    },
    async (request): Promise<RevokeOtherSessionsResponseDto> => {
      const { userId, sessionId } = await signedInSession(request);
      const { revoked_count } = await fastify.sessionApi.revokeUserSessions(
        { user_id: userId, except_session_id: sessionId },
        callOptions(request),
      );
      // Refused at once on this gateway; the others evict them when the feed's USER_REVOKED arrives.
      fastify.sessionCache.dropUserSessions(userId, sessionId);
      return { revoked_count: Number(revoked_count) };
    },
  );

  fastify.delete<{ Params: { sessionId: string } }>(
    '/api/sessions/:sessionId',
    {
      schema: {
        summary: "Revoke one of the current user's sessions",
        params: sessionIdParams,
        response: { 204: { description: 'Revoked', type: 'null' }, ...problemResponses(...BODY_FAILURES, 403, 404) },
      },
    },
    async (request, reply) => {
      const { userId } = await signedInSession(request);
      const { sessionId } = request.params;
      const { revoked } = await fastify.sessionApi.revokeSession({ session_id: sessionId, user_id: userId }, callOptions(request));
      if (!revoked) throw new ProblemError(404, 'session_not_found', 'That session has already ended.');
      // Read-your-writes on this gateway; the others evict it when the feed's REVOKED arrives.
      fastify.sessionCache.dropSession(sessionId);
      if (request.credential?.source === 'cookie' && request.credential.token.startsWith(`${sessionId}.`)) reply.clearSessionCookie();
      return reply.code(204).send();
    },
  );

  /** The current session and the user it is bound to; anonymous sessions have no user's list to see. */
  async function signedInSession(request: FastifyRequest): Promise<{ userId: string; sessionId: string }> {
    const { userId, sessionId } = await fastify.currentSession(request);
    if (!userId) throw new ProblemError(403, 'forbidden', 'This session is not signed in to a user.');
    return { userId, sessionId };
  }
};

export default sessionListRoutes;
