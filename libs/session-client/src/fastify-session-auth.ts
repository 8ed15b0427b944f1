import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authFailureOf, bearerToken, type SessionAuthMode } from './auth-token';
import { needsReauthentication, REAUTHENTICATION_REQUIRED } from './authentication-age';
import type { ValidatedSession } from './validated-session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session the request authenticated with; null when none (optional routes, routes not checked). */
    validatedSession: ValidatedSession | null;
  }
  interface FastifyContextConfig {
    /** Overrides the plugin's defaultMode for this route. */
    sessionAuth?: SessionAuthMode;
    /** Milliseconds: a session signed in longer ago (or anonymous) gets 401 reauthentication_required. */
    maxAuthenticationAge?: number;
  }
}

export interface FastifySessionAuthOptions {
  /** The CachedValidator (or anything that validates a token the same way). */
  readonly validator: { validate(token: string): Promise<ValidatedSession> };
  /** Routes without config.sessionAuth: 'required' unless told otherwise, so a forgotten option fails closed. */
  readonly defaultMode?: SessionAuthMode;
  /** Read the token from this cookie when there is no Bearer header (needs @fastify/cookie). */
  readonly cookieName?: string;
  /** The clock maxAuthenticationAge is judged by (specs); Date.now otherwise. */
  readonly now?: () => number;
}

type ProblemCode = 'unauthenticated' | 'session_service_unavailable' | typeof REAUTHENTICATION_REQUIRED;

function problem(reply: FastifyReply, status: number, code: ProblemCode, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Service Unavailable', status, code, detail });
}

function tokenOf(request: FastifyRequest, cookieName: string | undefined): string | undefined {
  const bearer = bearerToken(request.headers.authorization);
  if (bearer || !cookieName) return bearer;
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.[cookieName] || undefined;
}

/**
 * Authenticates requests by their session token through the CachedValidator
 * (Bearer first, then the cookie) and puts the session on
 * request.validatedSession. Required routes answer 401 for a missing or
 * invalid token; optional routes carry on without a session. When the
 * session service cannot answer, both get 503: the plugin cannot tell a
 * valid token from a revoked one then, and guessing would fail open.
 */
export const fastifySessionAuth = fp<FastifySessionAuthOptions>(
  async (fastify, options) => {
    const defaultMode = options.defaultMode ?? 'required';
    const now = options.now ?? Date.now;
    fastify.decorateRequest('validatedSession', null);
    fastify.addHook('onRequest', async (request, reply) => {
      const mode = request.routeOptions.config?.sessionAuth ?? defaultMode;
      if (mode === 'off') return;
      const token = tokenOf(request, options.cookieName);
      if (!token) {
        if (mode === 'required') return problem(reply, 401, 'unauthenticated', 'This request needs a session token.');
        return;
      }
      try {
        const session = await options.validator.validate(token);
        const maxAge = request.routeOptions.config?.maxAuthenticationAge;
        if (maxAge !== undefined && needsReauthentication(session, maxAge, now())) {
          return problem(reply, 401, REAUTHENTICATION_REQUIRED, 'This request needs a more recent sign-in.');
        }
        request.validatedSession = session;
      } catch (err) {
        if (authFailureOf(err) === 'unavailable') {
          request.log.warn({ code: (err as { code?: unknown }).code }, 'session validation unavailable');
          return problem(reply, 503, 'session_service_unavailable', 'The session service cannot be reached; retry later.');
        }
        if (mode === 'required') return problem(reply, 401, 'unauthenticated', 'The session token is not valid.');
      }
    });
  },
  { name: '@session/session-client/fastify-session-auth', fastify: '5.x' },
);
