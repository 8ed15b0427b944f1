import { versionToEtag, type ChangePasswordRequestDto, type CreateSessionResponseDto, type SignInRequestDto } from '@session/rest-contract';
import { fromProtoSession } from '@session/session-client';
import type { Session__Output, SignInResponse__Output } from '@session/proto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_FAILURES, ETAG_HEADER, jsonBody, jsonResponse, problemResponses, SET_COOKIE_HEADER } from '../../schemas/route-schemas';
import { toSessionDto } from '../../sessions/session-dto';
import { acceptBody, callOptions, tokenOf } from '../route-context';
import { accountsCall, deviceOf } from './accounts-call';

type SignInBody = { Body: SignInRequestDto };

/**
 * Sign-up, sign-in and password change, through the accounts service. The first two bind the
 * request's session to the account: the service rotates its token, so the answer carries the new
 * one (and a new cookie) and the old one stops working at once on this gateway (the near cache
 * swaps the entries); other gateways learn the rotation from the feed.
 */
const accountsRoutes: FastifyPluginAsync = async (fastify) => {
  const { config, sessionCache } = fastify;
  // Per client address, on top of the accounts service's own failure throttles (per account and per address).
  const throttled = { rateLimit: { max: config.signInRateLimit, timeWindow: 60_000 } };
  const SIGNED_IN = { ...ETAG_HEADER, ...SET_COOKIE_HEADER };

  async function signedIn(
    request: FastifyRequest<SignInBody>,
    reply: FastifyReply,
    rpc: 'signUp' | 'signIn',
  ): Promise<CreateSessionResponseDto> {
    const token = tokenOf(request);
    const { email, password } = request.body;
    const remember_me = request.body.remember_me === true;
    const ticket = sessionCache.beginWrite();
    const answer: SignInResponse__Output = await accountsCall(request, () =>
      fastify.accountsApi[rpc]({ session_token: token, email, password, remember_me, device: deviceOf(request) }, callOptions(request)),
    ).catch((err: unknown) => {
      // Unless the service vouched for the token (a wrong password), what this gateway holds about it may be stale.
      if (!request.tokenAccepted) sessionCache.drop(token);
      throw err;
    });
    const session = toSessionDto(answer.session); // throws (500) when the service sent none
    sessionCache.commitWrite(ticket, answer.token, fromProtoSession(answer.session as Session__Output), token);
    // Without "remember me" the cookie ends with the browser (the service gives such sessions a shorter lifetime too).
    reply.setSessionCookie(answer.token, remember_me ? session.absolute_expires_at : null);
    reply.header('etag', versionToEtag(session.version));
    return { token: answer.token, session };
  }

  fastify.post<SignInBody>(
    '/api/accounts',
    {
      config: throttled,
      schema: {
        summary: 'Create an account and sign in',
        description:
          'Creates the account and signs the current session in to it. The token rotates: the answer and the new cookie carry the new one, ' +
          'the old one stops working. Without remember_me the cookie has no Expires (it ends with the browser).',
        tags: ['accounts'],
        body: jsonBody('SignInRequest'),
        response: {
          201: jsonResponse('Signed up and in', 'CreateSessionResponse', SIGNED_IN),
          ...problemResponses(...BODY_FAILURES, 403, 409),
        },
      },
      preValidation: acceptBody(['application/json']),
    },
    async (request, reply) => reply.code(201).send(await signedIn(request, reply, 'signUp')),
  );

  fastify.post<SignInBody>(
    '/api/sessions/current/sign-in',
    {
      config: throttled,
      schema: {
        summary: 'Sign the current session in',
        description:
          'Checks the email and password and signs the current session in. The token rotates as on sign-up. An unknown email and a wrong ' +
          'password answer the same 401 invalid_credentials.',
        body: jsonBody('SignInRequest'),
        response: { 200: jsonResponse('Signed in', 'CreateSessionResponse', SIGNED_IN), ...problemResponses(...BODY_FAILURES, 403) },
      },
      preValidation: acceptBody(['application/json']),
    },
    async (request, reply) => signedIn(request, reply, 'signIn'),
  );

  fastify.post<{ Body: ChangePasswordRequestDto }>(
    '/api/accounts/current/password',
    {
      config: throttled,
      schema: {
        summary: 'Change the password',
        description:
          'Needs the current password and a sign-in no older than the accounts service allows (401 reauthentication_required otherwise: ' +
          'sign in again). Every other session of the user ends.',
        tags: ['accounts'],
        body: jsonBody('ChangePasswordRequest'),
        response: { 204: { description: 'Changed; the other sessions ended', type: 'null' }, ...problemResponses(...BODY_FAILURES, 403) },
      },
      preValidation: acceptBody(['application/json']),
    },
    async (request, reply) => {
      const { current_password, new_password } = request.body;
      const token = tokenOf(request);
      // The other sessions' entries go when the feed's USER_REVOKED arrives (this gateway's too).
      await accountsCall(request, () =>
        fastify.accountsApi.changePassword(
          { session_token: token, current_password, new_password, device: deviceOf(request) },
          callOptions(request),
        ),
      );
      return reply.code(204).send();
    },
  );
};

export default accountsRoutes;
