import type { SessionDto, SessionListResponseDto, SessionSummaryDto } from '@session/rest-contract';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ProblemError } from '../../errors/problem-error';
import { BODY_FAILURES, jsonResponse, problemResponses, sessionIdParams, sessionListQuery } from '../../schemas/route-schemas';
import { toSessionDto } from '../../sessions/session-dto';
import { callOptions } from '../route-context';

/** The signed-in user's list of sessions, and revoking one of them. */
const sessionListRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Querystring: { page_size?: string; page_token?: string } }>(
    '/api/sessions',
    {
      schema: {
        summary: "List the current user's sessions",
        description:
          'The live sessions of the user the current session is bound to, newest first, one page at a time (without user_data); ' +
          'follow next_page_token until it is null. 403 for an anonymous session; 400 for a page_token this API did not issue.',
        querystring: sessionListQuery,
        response: { 200: jsonResponse('One page of sessions', 'SessionListResponse'), ...problemResponses(403, 502) },
      },
    },
    async (request): Promise<SessionListResponseDto> => {
      const userId = await currentUserId(request);
      const { page_size, page_token = '' } = request.query;
      const page = await fastify.sessionApi.listUserSessions({ user_id: userId, page_size: Number(page_size ?? 0), page_token }, callOptions(request));
      return {
        sessions: page.sessions.map((session) => {
          // The service sent none; the REST shape has no empty stand-in either.
          const summary: Partial<SessionDto> = toSessionDto(session);
          delete summary.user_data;
          return summary as SessionSummaryDto;
        }),
        next_page_token: page.next_page_token || null,
      };
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
      const userId = await currentUserId(request);
      const { sessionId } = request.params;
      const { revoked } = await fastify.sessionApi.revokeSession({ session_id: sessionId, user_id: userId }, callOptions(request));
      if (!revoked) throw new ProblemError(404, 'session_not_found', 'That session has already ended.');
      // Read-your-writes on this gateway; the others evict it when the feed's REVOKED arrives.
      fastify.sessionCache.dropSession(sessionId);
      if (request.credential?.source === 'cookie' && request.credential.token.startsWith(`${sessionId}.`)) reply.clearSessionCookie();
      return reply.code(204).send();
    },
  );

  /** The user the current session is bound to; anonymous sessions have no user's list to see. */
  async function currentUserId(request: FastifyRequest): Promise<string> {
    const { userId } = await fastify.currentSession(request);
    if (!userId) throw new ProblemError(403, 'forbidden', 'This session is not signed in to a user.');
    return userId;
  }
};

export default sessionListRoutes;
