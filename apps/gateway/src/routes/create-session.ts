import { jsonToStruct } from '@session/proto';
import { versionToEtag, type UserData } from '@session/rest-contract';
import type { FastifyPluginAsync } from 'fastify';
import {
  BODY_FAILURES,
  COMMON_FAILURES,
  createSessionBody,
  ETAG_HEADER,
  jsonResponse,
  problemResponses,
  requestHeaders,
  SET_COOKIE_HEADER,
} from '../schemas/route-schemas';
import { userDataErrorFormatter } from '../schemas/user-data-errors';
import { toSessionDto } from '../sessions/session-dto';
import { assertUserDataFits } from '../sessions/user-data-guard';
import { deviceOf } from './authenticated/accounts-call';
import { acceptBody, callOptions } from './route-context';

/** Creating an anonymous session: the one session route that needs no token. */
const createSessionRoutes: FastifyPluginAsync = async (fastify) => {
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
          201: jsonResponse('Created; the token is also set as an HttpOnly cookie', 'CreateSessionResponse', {
            ...ETAG_HEADER,
            ...SET_COOKIE_HEADER,
          }),
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
      const created = await fastify.sessionApi.createSession(
        { user_data: jsonToStruct(userData), device: deviceOf(request) },
        callOptions(request),
      );
      const session = toSessionDto(created.session);
      reply.setSessionCookie(created.token, session.absolute_expires_at);
      return reply
        .code(201)
        .header('location', '/api/sessions/current')
        .header('etag', versionToEtag(session.version))
        .send({ token: created.token, session });
    },
  );
};

export default createSessionRoutes;
