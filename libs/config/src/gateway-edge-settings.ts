import { isIP } from 'node:net';

/** What Fastify's trustProxy takes: no proxy, a hop count, or the proxies' addresses/CIDRs. */
export type TrustProxy = false | number | readonly string[];

/** A parsed setting, or why it cannot be used (collected so one start lists every mistake). */
export type Parsed<T> = { value: T } | { error: string };

// proxy-addr's (and so Fastify's) names for the private ranges.
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `true` would trust every hop, so the left-most X-Forwarded-For entry (which
 * the client writes) would become the client address: refused with the
 * settings to use instead.
 */
export function parseTrustProxy(value: string): Parsed<TrustProxy> {
  const text = value.trim().toLowerCase();
  if (text === 'false' || text === '0') return { value: false };
  if (text === 'true') {
    return {
      error:
        'true trusts every hop, so clients could choose their own address; set the number of proxies in front (1 for one reverse proxy) or their addresses/CIDRs',
    };
  }
  if (/^\d{1,2}$/.test(text)) return { value: Number(text) };
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (entries.length === 0 || bad.length > 0) {
    return {
      error: `expected false, a hop count or addresses/CIDRs (loopback, linklocal, uniquelocal allowed); not ${JSON.stringify(bad.join(',') || value)}`,
    };
  }
  return { value: Object.freeze(entries) };
}

/** scheme://host[:port] with no path: the origin browsers send in `Origin` for this site. */
export function parsePublicOrigin(value: string): Parsed<string> {
  if (value === '') return { value: '' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: `not a URL: ${JSON.stringify(value)}` };
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  if (!['http:', 'https:'].includes(url.protocol) || !bare)
    return { error: `expected scheme://host[:port] with no path, e.g. https://app.example; not ${JSON.stringify(value)}` };
  return { value: url.origin };
}
