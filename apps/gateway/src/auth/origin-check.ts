const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

export interface OriginFacts {
  /** The `Origin` request header, when sent. */
  readonly origin: string | undefined;
  /** The `Sec-Fetch-Site` request header, when sent. */
  readonly secFetchSite: string | undefined;
  /** This gateway's own origin as the request reached it (scheme://host[:port]). */
  readonly ownOrigin: string;
  readonly allowedOrigins: readonly string[];
}

/** scheme://host[:port] with default ports dropped and case folded; null for "null" or junk. */
export function normalizeOrigin(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * CSRF defence for cookie-authenticated writes. A browser always sends
 * `Origin` on cross-origin writes and (modern ones) `Sec-Fetch-Site`; a
 * request with neither comes from a non-browser client, which a cookie
 * cannot be forged through, so it passes.
 */
export function isOriginAllowed(facts: OriginFacts): boolean {
  if (facts.secFetchSite?.toLowerCase() === 'cross-site') return false;
  if (facts.origin === undefined) return true;
  const origin = normalizeOrigin(facts.origin);
  if (origin === null) return false;
  return origin === normalizeOrigin(facts.ownOrigin) || facts.allowedOrigins.some((o) => normalizeOrigin(o) === origin);
}
