import { status } from '@grpc/grpc-js';

/** Per route (Fastify) or per method (gRPC): must a request carry a valid session, may it, or is it not looked at. */
export type SessionAuthMode = 'required' | 'optional' | 'off';

/** The token of `Authorization: Bearer <token>`; anything else is no token. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // Linear, no regular expression: the header is attacker-controlled.
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  const token = header.slice(space + 1).trim();
  return token && !token.includes(' ') ? token : undefined;
}

/**
 * Why a validation failed: the token is not (or no longer) valid, or the
 * session service could not say. Only the first is the client's fault.
 */
export function authFailureOf(err: unknown): 'invalid' | 'unavailable' {
  const code = (err as { code?: unknown }).code;
  return code === status.UNAUTHENTICATED || code === status.NOT_FOUND || code === status.INVALID_ARGUMENT ? 'invalid' : 'unavailable';
}
