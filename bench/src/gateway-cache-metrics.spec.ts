import { diffCacheCounts, hitRatio, parseCacheCounts, sumCounter } from './gateway-cache-metrics';

const SCRAPE = [
  '# HELP session_cache_hits_total Near-cache hits',
  '# TYPE session_cache_hits_total counter',
  'session_cache_hits_total 900',
  '# TYPE session_cache_misses_total counter',
  'session_cache_misses_total{reason="absent"} 60',
  'session_cache_misses_total{reason="feed_not_caught_up"} 40',
  'session_cache_misses_total_created 1700000000',
  'session_cache_entries 100',
  'http_requests_total{route="/api/sessions/current",status="200"} 5',
].join('\n');

describe('gateway cache metrics', () => {
  it('sums a counter over all its labels and tells an absent metric from zero', () => {
    expect(sumCounter(SCRAPE, 'session_cache_misses_total')).toBe(100);
    expect(sumCounter(SCRAPE, 'session_cache_entries')).toBe(100);
    expect(sumCounter(SCRAPE, 'session_cache_evictions_total')).toBeUndefined();
  });

  it('reads hits and misses, and nothing from a gateway without the cache', () => {
    expect(parseCacheCounts(SCRAPE)).toEqual({ hits: 900, misses: 100 });
    expect(parseCacheCounts('http_requests_total 5\n')).toBeUndefined();
  });

  it('gives the hit ratio between two scrapes, n/a (NaN) without a cache or without lookups', () => {
    const d = diffCacheCounts({ hits: 100, misses: 50 }, { hits: 1_000, misses: 150 });
    expect(d).toEqual({ hits: 900, misses: 100 });
    expect(hitRatio(d)).toBeCloseTo(0.9);
    expect(hitRatio(diffCacheCounts(undefined, { hits: 1, misses: 0 }))).toBeNaN();
    expect(hitRatio({ hits: 0, misses: 0 })).toBeNaN();
  });
});
