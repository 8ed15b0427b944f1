import { jsonToStruct } from '@session/proto';
import { versionToEtag, type SessionDto, type SessionListResponseDto, type SessionSummaryDto, type UserData } from '@session/rest-contract';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ProblemError } from '../errors/problem-error';
import {
  BODY_FAILURES,
  COMMON_FAILURES,
  createSessionBody,
  jsonResponse,
  problemResponses,
  requestHeaders,
  SESSION_SECURITY,
  sessionIdParams,
  sessionListQuery,
  ETAG_HEADER,
} from '../schemas/route-schemas';
import { userDataErrorFormatter } from '../schemas/user-data-errors';
import { toSessionDto } from '../sessions/session-dto';
import { assertUserDataFits } from '../sessions/user-data-guard';
import { acceptBody, callOptions } from './route-context';

const SET_COOKIE = { 'Set-Cookie': { type: 'string', description: 'the HttpOnly session cookie, persistent until the absolute expiry' } };

/** Creating sessions, and the signed-in user's list of sessions. */
const sessionsRoutes: FastifyPluginAsync = async (fastify) => {
  const { config } = fastify;

  fastify.post<{ Body: { user_data?: UserData } }>(
    '/api/sessions',
    {
      config: { rateLimit: { max: config.createRateLimit, timeWindow: 60_000 } },
      schema: {
        summary: 'Create a session',
        description: 'Mints a new anonymous session, optionally with initial user data; sets the session cookie and returns the token.',
        tags: ['sessions'],
        headers: requestHeaders,
        body: createSessionBody,
        response: {
          201: jsonResponse('Created; the token is also set as an HttpOnly cookie', 'CreateSessionResponse', { ...ETAG_HEADER, ...SET_COOKIE }),
          ...problemResponses(...COMMON_FAILURES, ...BODY_FAILURES, 403),
        },
      },
      schemaErrorFormatter: userDataErrorFormatter('/user_data'),
      preValidation: acceptBody(['application/json'], { emptyBody: true }),
      preHandler: fastify.checkCreateOrigin,
    },
    async (request, reply) => {
      const userData = request.body.user_data ?? {};
      assertUserDataFits(userData, config.userDataMaxBytes);
      const created = await fastify.sessionApi.createSession({ user_data: jsonToStruct(userData) }, callOptions(request));
      const session = toSessionDto(created.session);
      reply.setSessionCookie(created.token, session.absolute_expires_at);
      return reply.code(201).header('location', '/api/sessions/current').header('etag', versionToEtag(session.version)).send({ token: created.token, session });
    },
  );

  fastify.get<{ Querystring: { page_size?: string; page_token?: string } }>(
    '/api/sessions',
    {
      schema: {
        summary: "List the current user's sessions",
        description:
          'The live sessions of the user the current session is bound to, newest first, one page at a time (without user_data); ' +
          'follow next_page_token until it is null. 403 for an anonymous session; 400 for a page_token this API did not issue.',
        tags: ['sessions'],
        security: SESSION_SECURITY,
        headers: requestHeaders,
        querystring: sessionListQuery,
        response: { 200: jsonResponse('One page of sessions', 'SessionListResponse'), ...problemResponses(...COMMON_FAILURES, 401, 403, 502) },
      },
      preHandler: fastify.requireCredential,
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
        tags: ['sessions'],
        security: SESSION_SECURITY,
        headers: requestHeaders,
        params: sessionIdParams,
        response: { 204: { description: 'Revoked', type: 'null' }, ...problemResponses(...COMMON_FAILURES, ...BODY_FAILURES, 401, 403, 404) },
      },
      preHandler: fastify.requireCredential,
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

export default sessionsRoutes;
