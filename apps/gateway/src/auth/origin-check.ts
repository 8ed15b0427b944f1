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

/**
 * CSRF defence for cookie-authenticated writes. A browser always sends
 * `Origin` on cross-origin writes and (modern ones) `Sec-Fetch-Site`; a
 * request with neither comes from a non-browser client, which a cookie
 * cannot be forged through, so it passes.
 */
export function isOriginAllowed(facts: OriginFacts): boolean {
  if (facts.secFetchSite?.toLowerCase() === 'cross-site') return false;
  if (facts.origin === undefined) return true;
  const origin = facts.origin.toLowerCase();
  return origin === facts.ownOrigin.toLowerCase() || facts.allowedOrigins.some((o) => o.toLowerCase() === origin);
}
