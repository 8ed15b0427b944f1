import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ValidatedSession } from '@session/session-client';
import fp from 'fastify-plugin';
import { looksLikeToken, readCredential, type Credential } from '../../auth/credential';
import { InFlightSlots } from '../../auth/in-flight-slots';
import { isOriginAllowed, isStateChanging } from '../../auth/origin-check';
import { clearedCookieOptions, hasDuplicateCookie, sessionCookieName, sessionCookieOptions } from '../../auth/session-cookie';
import { ProblemError } from '../../errors/problem-error';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: the request must present a token; sets request.credential. */
    requireCredential(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** preHandler of the create route (no token needed): refuses cross-site creates and duplicate cookies. */
    checkCreateOrigin(request: FastifyRequest): Promise<void>;
    /** The session of a request past requireCredential: the cached one, else validated at the service (extending it). */
    currentSession(request: FastifyRequest): Promise<ValidatedSession>;
  }
  interface FastifyRequest {
    /** The token this request authenticates with, once requireCredential has run. */
    credential: Credential | null;
    /** Frees this request's invalid-token slot (idempotent); set by requireCredential. */
    releaseTokenSlot: (() => void) | null;
    /**
     * Set when a 401 is about something else than the token (a wrong password, a sign-in too old):
     * the token was fine, so the 401 neither counts as an invalid token nor clears the cookie.
     */
    tokenAccepted: boolean;
  }
  interface FastifyReply {
    /** Persistent until expiresAt, or (null) a cookie that ends with the browser. */
    setSessionCookie(token: string, expiresAt: string | null): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

const INVALID_TOKEN_WINDOW_MS = 60_000;

type RateLimitCounts = { max: number; remaining: number; ttlInSeconds: number };

/**
 * Who is calling and may they: reads the token (Bearer before cookie),
 * refuses cookie-authenticated writes and any cross-site create (403
 * forbidden_origin), refuses a Cookie header carrying the session cookie
 * twice (400 duplicate_session_cookie), and throttles addresses that keep
 * presenting invalid tokens.
 *
 * Origins: the gateway's own is PUBLIC_ORIGIN when set, otherwise the scheme
 * and host the request reached (from X-Forwarded-Proto/-Host only when the
 * peer is a TRUST_PROXY hop); ALLOWED_ORIGINS are accepted too. A create is
 * checked with or without the cookie: a third-party page's no-cors POST
 * carries no cookie yet would mint a session the attacker can then fill.
 *
 * Throttling reserves before it calls: a request presenting a token takes
 * a slot for its client address before the gRPC call; a 401 turns the slot
 * into a failure counted for the minute (@fastify/rate-limit's bounded
 * in-memory LRU store, per process), any other answer frees it. Once
 * failures plus slots in flight reach INVALID_TOKEN_LIMIT, requests with a
 * token from that address get 429 without a gRPC call, so a concurrent
 * burst cannot outrun the count. A 401 for a cookie also clears the cookie
 * so the browser stops sending a dead token.
 *
 * Validation goes through the near cache (plugins/app/session-cache.ts): a
 * hit is answered from memory without a slot; a miss (currentSession) asks
 * the service as before and caches the answer.
 */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    const cookieName = sessionCookieName(config.cookieSecure);
    const limit = config.invalidTokenLimit;
    const invalidTokens = fastify.createRateLimit({ max: limit, timeWindow: INVALID_TOKEN_WINDOW_MS });
    const inFlight = new InFlightSlots();

    const credentialOf = (request: FastifyRequest) => {
      if (hasDuplicateCookie(request.headers.cookie, cookieName)) {
        throw new ProblemError(
          400,
          'duplicate_session_cookie',
          `The ${cookieName} cookie was sent more than once; one was set by another host.`,
        );
      }
      return readCredential(request.headers.authorization, request.cookies[cookieName]);
    };

    const fromThisSite = (request: FastifyRequest) =>
      isOriginAllowed({
        origin: request.headers.origin,
        secFetchSite: request.headers['sec-fetch-site'] as string | undefined,
        ownOrigin: config.publicOrigin || `${request.protocol}://${request.host}`,
        allowedOrigins: config.allowedOrigins,
      });

    fastify.decorateRequest('credential', null);
    fastify.decorateRequest('validatedSession', null);
    fastify.decorateRequest('releaseTokenSlot', null);
    fastify.decorateRequest('tokenAccepted', false);

    fastify.decorate('checkCreateOrigin', async (request: FastifyRequest) => {
      credentialOf(request);
      if (!fromThisSite(request)) throw new ProblemError(403, 'forbidden_origin', 'Sessions can only be created from this site.');
    });

    fastify.decorate('requireCredential', async (request: FastifyRequest, reply: FastifyReply) => {
      const credential = credentialOf(request);
      if (!credential)
        throw new ProblemError(401, 'unauthenticated', 'This request needs a session token (cookie or Authorization: Bearer).');
      if (credential.source === 'cookie' && isStateChanging(request.method) && !fromThisSite(request)) {
        throw new ProblemError(403, 'forbidden_origin', 'Cookie-authenticated changes must come from this site.');
      }
      // A cache hit makes no call and cannot fail, so it takes no slot: a busy client with valid
      // tokens must never be throttled as if it were guessing. Only misses reserve.
      const cached = looksLikeToken(credential.token) ? fastify.sessionCache.fromCache(credential.token) : undefined;
      if (cached) {
        request.credential = credential;
        request.validatedSession = cached;
        return;
      }
      // Taken before the first await, so every concurrent request sees the others' slots.
      const release = inFlight.reserve(request.ip);
      request.releaseTokenSlot = release;
      reply.raw.once('close', release);
      // No allowList is configured, so the store always answers with counts (the other variant is allow-listed keys).
      const state = (await invalidTokens(request, { increment: false })) as RateLimitCounts;
      if (state.max - state.remaining + inFlight.count(request.ip) > limit) {
        release();
        // At least 1 s: with no failures yet the address is only waiting for its requests in flight.
        throw new ProblemError(429, 'rate_limited', 'Too many invalid session tokens from this address; retry later.', {
          'retry-after': String(Math.max(1, state.ttlInSeconds)),
        });
      }
      request.credential = credential;
      if (!looksLikeToken(credential.token)) throw new ProblemError(401, 'invalid_token', 'The session token is malformed.');
    });

    fastify.decorate('currentSession', async (request: FastifyRequest) => {
      if (request.validatedSession) return request.validatedSession;
      if (!request.credential) throw new ProblemError(401, 'unauthenticated', 'This request needs a session token.');
      request.validatedSession = await fastify.sessionCache.validateRemote(request.credential.token, { requestId: request.id });
      return request.validatedSession;
    });

    fastify.decorateReply('setSessionCookie', function (this: FastifyReply, token: string, expiresAt: string | null) {
      return this.setCookie(cookieName, token, sessionCookieOptions(config.cookieSecure, expiresAt === null ? null : new Date(expiresAt)));
    });
    fastify.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      return this.clearCookie(cookieName, clearedCookieOptions(config.cookieSecure));
    });

    // Callback style, so the usual answer (not a 401) costs no promise on every request.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const { credential, releaseTokenSlot } = request;
      if (reply.statusCode !== 401 || !credential || request.tokenAccepted) {
        releaseTokenSlot?.();
        return done(null, payload);
      }
      // The failure is counted before the slot is freed, so the address never looks emptier than it is.
      invalidTokens(request).then(() => {
        releaseTokenSlot?.();
        if (credential.source === 'cookie') reply.clearSessionCookie();
        done(null, payload);
      }, done);
    });
  },
  { name: 'session-auth', dependencies: ['config', 'cookie', 'rate-limit', 'session-cache'] },
);
