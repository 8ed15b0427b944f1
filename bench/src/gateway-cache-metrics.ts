/** The gateway's near-cache counters (session_cache_hits_total, session_cache_misses_total over every reason). */
export interface CacheCounts {
  hits: number;
  misses: number;
}

/**
 * The sum of every sample of counter `name` in Prometheus text, whatever its
 * labels; undefined when the metric is not exposed at all (a gateway without
 * the near cache), which is not the same as zero.
 */
export function sumCounter(text: string, name: string): number | undefined {
  let found = false;
  let sum = 0;
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? ([^\s]+)/gm)) {
    if (m[1] !== name) continue;
    found = true;
    sum += Number(m[2]);
  }
  return found ? sum : undefined;
}

/** Both counters, or undefined when the gateway exposes neither (no cache yet). */
export function parseCacheCounts(text: string): CacheCounts | undefined {
  const hits = sumCounter(text, 'session_cache_hits_total');
  const misses = sumCounter(text, 'session_cache_misses_total');
  if (hits === undefined && misses === undefined) return undefined;
  return { hits: hits ?? 0, misses: misses ?? 0 };
}

/** What the cache did between two scrapes; undefined when either side had no cache metrics. */
export function diffCacheCounts(before: CacheCounts | undefined, after: CacheCounts | undefined): CacheCounts | undefined {
  if (!before || !after) return undefined;
  return { hits: after.hits - before.hits, misses: after.misses - before.misses };
}

/** hits / (hits + misses); NaN when nothing was looked up or there is no cache. */
export function hitRatio(c: CacheCounts | undefined): number {
  return c && c.hits + c.misses > 0 ? c.hits / (c.hits + c.misses) : NaN;
}

/** The Prometheus text at `metricsUrl`; empty when unreadable (metrics explain the figures, never abort the run). */
async function scrape(metricsUrl: string): Promise<string> {
  try {
    const res = await fetch(metricsUrl);
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

/** The gateway's cache counters now; undefined when unreadable or absent. */
export async function scrapeCacheCounts(metricsUrl: string): Promise<CacheCounts | undefined> {
  return parseCacheCounts(await scrape(metricsUrl));
}

/** A single gauge's value (e.g. session_cache_entries); undefined when absent. */
export async function scrapeGauge(metricsUrl: string, name: string): Promise<number | undefined> {
  return sumCounter(await scrape(metricsUrl), name);
}
