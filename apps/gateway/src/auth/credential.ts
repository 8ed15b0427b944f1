export type CredentialSource = 'bearer' | 'cookie';

export interface Credential {
  readonly token: string;
  readonly source: CredentialSource;
}

// A token is at most 193 characters; a longer header is junk whatever it holds,
// so it is refused before any scanning (and Node caps the whole header block anyway).
export const MAX_AUTHORIZATION_LENGTH = 1024;
const SCHEME = 'bearer';
// Looser than the service's own check on purpose: the service owns the token
// format; this only keeps junk (huge or binary strings) away from a gRPC call.
const TOKEN_SHAPE = /^[A-Za-z0-9-]{1,64}\.[A-Za-z0-9_-]{1,128}$/;

const isBlank = (code: number) => code === 0x20 || code === 0x09;

/**
 * The token of `Bearer <token>`, '' for a bare or over-long `Bearer`
 * (refused later as malformed), null for other schemes or a token with
 * whitespace inside. One pass over a bounded string: a backtracking regex
 * here took hundreds of milliseconds per request on `Bearer` + 16k spaces.
 */
export function parseBearer(header: string): string | null {
  if (header.length < SCHEME.length || header.slice(0, SCHEME.length).toLowerCase() !== SCHEME) return null;
  if (header.length > MAX_AUTHORIZATION_LENGTH) return '';
  let end = header.length;
  while (end > SCHEME.length && isBlank(header.charCodeAt(end - 1))) end--;
  let start = SCHEME.length;
  if (start < end && !isBlank(header.charCodeAt(start))) return null; // "Bearerx": another scheme
  while (start < end && isBlank(header.charCodeAt(start))) start++;
  const token = header.slice(start, end);
  return /\s/.test(token) ? null : token;
}

/**
 * The token a request presents: `Authorization: Bearer` wins over the
 * cookie, so an API client's explicit credential is never overridden by a
 * browser cookie that happens to ride along. Other schemes are ignored.
 */
export function readCredential(authorization: string | undefined, cookie: string | undefined): Credential | null {
  const bearer = authorization === undefined ? null : parseBearer(authorization);
  if (bearer !== null) return { token: bearer, source: 'bearer' };
  if (cookie) return { token: cookie, source: 'cookie' };
  return null;
}

export function looksLikeToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
