import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { looksLikeToken, readCredential, type Credential } from '../../auth/credential';
import { isOriginAllowed, isStateChanging } from '../../auth/origin-check';
import { clearedCookieOptions, sessionCookieName, sessionCookieOptions } from '../../auth/session-cookie';
import { ProblemError } from '../../errors/problem-error';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the request must present a token; sets request.credential. */
    requireCredential(request: FastifyRequest): Promise<void>;
    /** preHandler for writes that need no token (create): the CSRF check when the session cookie rides along. */
    checkCookieOrigin(request: FastifyRequest): Promise<void>;
  }
  interface FastifyRequest {
    /** The token this request authenticates with, once requireCredential has run. */
    credential: Credential | null;
  }
  interface FastifyReply {
    setSessionCookie(token: string, expiresAt: string): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

const INVALID_TOKEN_WINDOW_MS = 60_000;

/**
 * Who is calling and may they: reads the token (Bearer before cookie),
 * refuses cookie-authenticated writes from foreign origins (403
 * forbidden_origin), and throttles addresses that keep presenting invalid
 * tokens.
 *
 * The origin check covers every POST/PUT/PATCH/DELETE that carries the
 * session cookie and no bearer token, POST /api/sessions included: a
 * cross-site form could otherwise replace a visitor's session with a fresh
 * one. A create without the cookie (first visit, or an API client) is
 * never checked; a bearer token cannot be attached by a foreign page.
 *
 * Throttling uses @fastify/rate-limit's bounded in-memory LRU store (per
 * process, per client address): every 401 answered to a request that
 * presented a token counts; once INVALID_TOKEN_LIMIT are counted within the
 * minute, requests with a token from that address get 429 without a gRPC
 * call until the window ends. A 401 for a cookie also clears the cookie so
 * the browser stops sending a dead token.
 */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    const cookieName = sessionCookieName(config.cookieSecure);
    const invalidTokens = fastify.createRateLimit({ max: config.invalidTokenLimit, timeWindow: INVALID_TOKEN_WINDOW_MS });

    const credentialOf = (request: FastifyRequest) => readCredential(request.headers.authorization, request.cookies[cookieName]);

    const assertOrigin = (request: FastifyRequest, credential: Credential | null) => {
      if (credential?.source !== 'cookie' || !isStateChanging(request.method)) return;
      const allowed = isOriginAllowed({
        origin: request.headers.origin,
        secFetchSite: request.headers['sec-fetch-site'] as string | undefined,
        ownOrigin: `${request.protocol}://${request.host}`,
        allowedOrigins: config.allowedOrigins,
      });
      if (!allowed) throw new ProblemError(403, 'forbidden_origin', 'Cookie-authenticated changes must come from this site.');
    };

    fastify.decorateRequest('credential', null);

    fastify.decorate('checkCookieOrigin', async (request: FastifyRequest) => assertOrigin(request, credentialOf(request)));

    fastify.decorate('requireCredential', async (request: FastifyRequest) => {
      const credential = credentialOf(request);
      if (!credential) throw new ProblemError(401, 'unauthenticated', 'This request needs a session token (cookie or Authorization: Bearer).');
      assertOrigin(request, credential);
      const state = await invalidTokens(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) {
        throw new ProblemError(429, 'rate_limited', 'Too many invalid session tokens from this address; retry later.', {
          'retry-after': String(state.ttlInSeconds),
        });
      }
      request.credential = credential;
      if (!looksLikeToken(credential.token)) throw new ProblemError(401, 'invalid_token', 'The session token is malformed.');
    });

    fastify.decorateReply('setSessionCookie', function (this: FastifyReply, token: string, expiresAt: string) {
      return this.setCookie(cookieName, token, sessionCookieOptions(config.cookieSecure, new Date(expiresAt)));
    });
    fastify.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      return this.clearCookie(cookieName, clearedCookieOptions(config.cookieSecure));
    });

    // Callback style, so the usual answer (not a 401) costs no promise on every request.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const credential = request.credential;
      if (reply.statusCode !== 401 || !credential) return done(null, payload);
      invalidTokens(request).then(() => {
        if (credential.source === 'cookie') reply.clearSessionCookie();
        done(null, payload);
      }, done);
    });
  },
  { name: 'session-auth', dependencies: ['config', 'cookie', 'rate-limit'] },
);
