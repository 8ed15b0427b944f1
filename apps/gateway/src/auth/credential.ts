export type CredentialSource = 'bearer' | 'cookie';

export interface Credential {
  readonly token: string;
  readonly source: CredentialSource;
}

const BEARER = /^Bearer(?:[ \t]+(\S*))?[ \t]*$/i;
// Looser than the service's own check on purpose: the service owns the token
// format; this only keeps junk (huge or binary strings) away from a gRPC call.
const TOKEN_SHAPE = /^[A-Za-z0-9-]{1,64}\.[A-Za-z0-9_-]{1,128}$/;

/**
 * The token a request presents: `Authorization: Bearer` wins over the
 * cookie, so an API client's explicit credential is never overridden by a
 * browser cookie that happens to ride along. Other schemes are ignored.
 */
export function readCredential(authorization: string | undefined, cookie: string | undefined): Credential | null {
  const bearer = authorization === undefined ? null : BEARER.exec(authorization);
  if (bearer) return { token: bearer[1] ?? '', source: 'bearer' };
  if (cookie) return { token: cookie, source: 'cookie' };
  return null;
}

export function looksLikeToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
