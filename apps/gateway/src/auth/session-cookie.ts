import type { CookieSerializeOptions } from '@fastify/cookie';

/** `__Host-` binds the cookie to this exact host over HTTPS (no Domain, Path=/, Secure). */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-session' : 'session';
}

/**
 * HttpOnly so script never sees the token; SameSite=Lax so cross-site
 * sub-requests do not carry it; Expires at the absolute expiry so the
 * session survives a browser restart but never outlives itself.
 */
export function sessionCookieOptions(secure: boolean, expires: Date): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure, expires };
}

/** Options for clearing: the attributes must match the ones the cookie was set with. */
export function clearedCookieOptions(secure: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure };
}
