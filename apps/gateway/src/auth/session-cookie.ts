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
export function sessionCookieOptions(secure: boolean, expires: Date | null): CookieSerializeOptions {
  // null: a browser-session cookie (no Expires/Max-Age), for signed-in sessions without "remember me".
  return { httpOnly: true, sameSite: 'lax', path: '/', secure, ...(expires ? { expires } : {}) };
}

/** Options for clearing: the attributes must match the ones the cookie was set with. */
export function clearedCookieOptions(secure: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure };
}

/**
 * True when the Cookie header carries `name` more than once. Browsers send
 * every matching cookie, so a second one means another host (a sibling
 * subdomain setting `Domain=` on the parent) planted it: which copy the
 * parser would pick is not this gateway's choice to guess.
 */
export function hasDuplicateCookie(header: string | undefined, name: string): boolean {
  if (header === undefined) return false;
  let seen = 0;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name && ++seen > 1) return true;
  }
  return false;
}
