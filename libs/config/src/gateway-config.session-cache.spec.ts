import { loadGatewayConfig } from './gateway-config';

describe('gateway near-cache settings', () => {
  it('default to the design: on, 100,000 entries, 5 min max age, 60 s touch interval, 64 refreshes in flight, 3 s stale feed, targets from the service URL', () => {
    expect(loadGatewayConfig({}).sessionCache).toEqual({
      enabled: true,
      maxEntries: 100_000,
      maxAgeMs: 300_000,
      refreshConcurrency: 64,
      feedTargets: [],
      touchIntervalMs: 60_000,
      feedStaleAfterMs: 3_000,
    });
  });

  it('parse durations, booleans and the target list', () => {
    const { sessionCache } = loadGatewayConfig({
      SESSION_CACHE_ENABLED: 'false',
      SESSION_CACHE_MAX_AGE: '15s',
      SESSION_CACHE_REFRESH_CONCURRENCY: '0',
      SESSION_FEED_TARGETS: 'session-1:50051, session-2:50051',
      FEED_STALE_AFTER: '1500ms',
    });
    expect(sessionCache).toMatchObject({
      enabled: false,
      maxAgeMs: 15_000,
      refreshConcurrency: 0,
      feedTargets: ['session-1:50051', 'session-2:50051'],
      feedStaleAfterMs: 1_500,
    });
  });

  it.each([
    ['SESSION_FEED_TARGETS', 'session-1'],
    ['SESSION_FEED_TARGETS', 'a:1,'],
    ['SESSION_CACHE_MAX_AGE', 'a minute'],
    ['SESSION_CACHE_MAX_ENTRIES', '0'],
    ['SESSION_CACHE_REFRESH_CONCURRENCY', '-1'],
    ['SESSION_CACHE_REFRESH_CONCURRENCY', 'eight'],
    ['FEED_STALE_AFTER', '-1s'],
  ])('refuse %s=%s at start, naming the variable', (name, value) => {
    expect(() => loadGatewayConfig({ [name]: value })).toThrow(name);
  });
});
