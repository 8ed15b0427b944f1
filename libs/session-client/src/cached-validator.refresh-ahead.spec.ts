import { CachedValidator, DEFAULT_MAX_REFRESHES_IN_FLIGHT, type CachedValidatorOptions } from './cached-validator';
import { FakeFeed, FakeService, atMs, session, testMetrics } from './testing/fake-deps';

const MAX_AGE = 60_000;
const T0 = 1_000_000;

/** A small deterministic PRNG (mulberry32), so the spread of refresh and stale times is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets every background refresh whose answer is ready settle (the fake service answers without I/O). */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CachedValidator refresh-ahead (fake clock, fake service and feed)', () => {
  let now: number;
  let feed: FakeFeed;
  let service: FakeService;
  let m: ReturnType<typeof testMetrics>;
  let validator: CachedValidator;

  const live = (id: string, userId = 'u1') => session(id, { userId, idleExpiresAt: T0 + 3_600_000, absoluteExpiresAt: T0 + 86_400_000 });

  const make = (overrides: Partial<CachedValidatorOptions> = {}) => {
    validator?.close();
    validator = new CachedValidator({
      validate: service.validate,
      refresh: service.refresh,
      touch: service.touch,
      feed,
      metrics: m.metrics,
      enabled: true,
      maxEntries: 100_000,
      maxAgeMs: MAX_AGE,
      // random 0: no jitter, and every entry is due for refresh at 40 % of its life (24 s).
      random: () => 0,
      touchIntervalMs: 60_000,
      now: () => now,
      ...overrides,
    });
    return validator;
  };

  beforeEach(() => {
    now = T0;
    feed = new FakeFeed();
    service = new FakeService();
    m = testMetrics();
    for (const id of ['a', 'b', 'c', 'd', 'e']) service.sessions.set(id, live(id));
    make();
  });
  afterEach(() => validator.close());

  const refreshes = (outcome: string) => m.value('session_cache_refreshes_total', { outcome });
  const hits = () => m.value('session_cache_hits_total');
  const misses = (reason: string) => m.value('session_cache_misses_total', { reason });

  it('keeps 10,000 entries filled together hit-only at a paced 1,000 req/s through two max ages: refreshed in the background, capped, never a miss', async () => {
    make({ random: seeded(14), maxAgeJitter: 0.2 });
    const tokens = Array.from({ length: 10_000 }, (_, i) => `s${i}.secret`);
    for (const token of tokens) service.sessions.set(token.split('.')[0], live(token.split('.')[0], ''));
    for (const token of tokens) await validator.validate(token);
    expect(service.calls).toBe(10_000);
    let peakInFlight = 0;
    let served = 0;
    // The bench's paced phase: 1,000 req/s round-robin, so each session every 10 s, for 2 x the max age, in 10 ms steps.
    for (let t = 10; t <= 2 * MAX_AGE; t += 10) {
      now = T0 + t;
      const slice = (t / 10) % 1000;
      for (let i = slice; i < tokens.length; i += 1000) {
        if (validator.fromCache(tokens[i])) served += 1;
        peakInFlight = Math.max(peakInFlight, validator.refreshesInFlight);
      }
      await settled();
    }
    expect(served).toBe(((2 * MAX_AGE) / 10) * 10);
    expect(await hits()).toBe(served);
    expect(await misses('max_age')).toBe(0);
    expect(service.calls).toBe(10_000); // no validation with extend after the fill
    expect(peakInFlight).toBeLessThanOrEqual(DEFAULT_MAX_REFRESHES_IN_FLIGHT);
    // Each entry is due at 40-70 % of a 48-60 s life and hit within 10 s of it: at least twice in 120 s.
    expect(await refreshes('refreshed')).toBeGreaterThanOrEqual(20_000);
    expect(service.refreshCalls).toBe(await refreshes('refreshed'));
  }, 60_000);

  it('serves a hit before the refresh time without a refresh, and one after it with one', async () => {
    await validator.validate('a.secret');
    now = T0 + 0.4 * MAX_AGE - 1;
    validator.fromCache('a.secret');
    await settled();
    expect(service.refreshCalls).toBe(0);
    now += 1;
    expect(validator.fromCache('a.secret')?.sessionId).toBe('a');
    await settled();
    expect(service.refreshCalls).toBe(1);
    expect(await refreshes('refreshed')).toBe(1);
    // The refreshed entry starts a new life: served to the old max age and beyond without a miss.
    now = T0 + MAX_AGE + 10_000;
    expect(validator.fromCache('a.secret')).toBeDefined();
    expect(await misses('max_age')).toBe(0);
  });

  it('starts one refresh per entry however many hits arrive while it is in flight', async () => {
    await validator.validate('a.secret');
    now = T0 + 30_000;
    const release = service.hold();
    for (let i = 0; i < 20; i += 1) expect(validator.fromCache('a.secret')).toBeDefined();
    expect(service.refreshCalls).toBe(1);
    release();
    await settled();
    expect(await refreshes('refreshed')).toBe(1);
    expect(await hits()).toBe(20);
    expect(await misses('absent')).toBe(1); // the fill only: refresh answers are neither hits nor misses
  });

  it('caps refreshes in flight: the excess is skipped, still served, and refreshed by a later hit', async () => {
    make({ maxRefreshesInFlight: 2 });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const id of ids) await validator.validate(`${id}.secret`);
    now = T0 + 30_000;
    const release = service.hold();
    for (const id of ids) expect(validator.fromCache(`${id}.secret`)).toBeDefined();
    expect(service.refreshCalls).toBe(2);
    expect(validator.refreshesInFlight).toBe(2);
    expect(await refreshes('skipped')).toBe(3);
    release();
    await settled();
    for (const id of ids) validator.fromCache(`${id}.secret`);
    await settled();
    // a and b were refreshed (no longer due); two of c, d, e now, the last one skipped again.
    expect(service.refreshCalls).toBe(4);
    for (const id of ids) validator.fromCache(`${id}.secret`);
    await settled();
    expect(service.refreshCalls).toBe(5);
    expect(await refreshes('refreshed')).toBe(5);
  });

  it.each([
    ['UNAUTHENTICATED (revoked, expired, unknown token)', 16],
    ['NOT_FOUND', 5],
  ])('a refresh answered %s drops the entry: the next request asks the service', async (_name, code) => {
    await validator.validate('a.secret');
    now = T0 + 30_000;
    service.sessions.delete('a');
    service.failWith = code === 16 ? undefined : { code };
    expect(validator.fromCache('a.secret')).toBeDefined(); // the hit that started the refresh is still served
    await settled();
    expect(validator.size).toBe(0);
    expect(await refreshes('refused')).toBe(1);
    expect(await m.value('session_cache_evictions_total', { reason: 'refused' })).toBe(1);
    expect(validator.fromCache('a.secret')).toBeUndefined();
    await expect(validator.validate('a.secret')).rejects.toMatchObject({ code });
  });

  it('a change to the session during a refresh keeps the answer out of the cache', async () => {
    await validator.validate('a.secret');
    now = T0 + 30_000;
    service.sessions.set('a', { ...live('a'), version: '2', userData: { theme: 'light' } });
    const release = service.hold();
    validator.fromCache('a.secret');
    // Same version as cached: no eviction, but the change still forbids caching an answer begun before it.
    feed.change('SESSION_CHANGE_KIND_UPDATED', { session_id: 'a', version: 1 });
    release();
    await settled();
    expect(await refreshes('discarded')).toBe(1);
    expect(validator.fromCache('a.secret')?.userData).toEqual({ theme: 'dark' });
  });

  it.each([
    ['a revocation from the feed', () => feed.change('SESSION_CHANGE_KIND_REVOKED', { session_id: 'a' })],
    ['a logout through this process', () => validator.drop('a.secret')],
    ['a feed reset', () => feed.emit('reset', { target: 't', streamId: 'z' })],
  ])('an entry dropped during its refresh (%s) is not brought back by the answer', async (_name, drop) => {
    await validator.validate('a.secret');
    now = T0 + 30_000;
    const release = service.hold();
    validator.fromCache('a.secret');
    drop();
    release();
    await settled();
    expect(validator.size).toBe(0);
    expect(await refreshes('discarded')).toBe(1);
  });

  it('when refreshes fail (service unavailable) the entry is served until its max age, never past it', async () => {
    await validator.validate('a.secret');
    service.failWith = { code: 14 };
    for (let t = 24_000; t < MAX_AGE; t += 5_000) {
      now = T0 + t;
      expect(validator.fromCache('a.secret')).toBeDefined();
      await settled();
    }
    expect(await refreshes('failed')).toBe(8);
    now = T0 + MAX_AGE - 1;
    expect(validator.fromCache('a.secret')).toBeDefined();
    now = T0 + MAX_AGE;
    expect(validator.fromCache('a.secret')).toBeUndefined();
    expect(await misses('max_age')).toBe(1);
  });

  it('a refresh does not count as reported activity: the touch is still due one interval after the last report', async () => {
    make({ maxAgeMs: 300_000, touchIntervalMs: 200_000 });
    await validator.validate('a.secret');
    now = T0 + 120_000; // due for refresh (40 % of 300 s)
    validator.fromCache('a.secret');
    await settled();
    expect(await refreshes('refreshed')).toBe(1);
    now = T0 + 200_000;
    validator.fromCache('a.secret');
    expect(validator.pendingTouches).toBe(1);
  });

  it('keeps an idle expiry moved by EXTENDED during the refresh rather than the older answer', async () => {
    await validator.validate('a.secret');
    now = T0 + 30_000;
    const release = service.hold();
    validator.fromCache('a.secret');
    feed.change('SESSION_CHANGE_KIND_EXTENDED', { session_id: 'a', idle_expires_at: atMs(T0 + 7_200_000) });
    release();
    await settled();
    expect(await refreshes('refreshed')).toBe(1);
    expect(validator.fromCache('a.secret')?.idleExpiresAt).toBe(T0 + 7_200_000);
  });

  it('a host without a refresh function keeps the old behaviour: no refresh, a miss at the max age', async () => {
    make({ refresh: undefined });
    await validator.validate('a.secret');
    now = T0 + MAX_AGE - 1;
    expect(validator.fromCache('a.secret')).toBeDefined();
    await settled();
    now = T0 + MAX_AGE;
    expect(validator.fromCache('a.secret')).toBeUndefined();
    expect(service.refreshCalls).toBe(0);
    expect(await misses('max_age')).toBe(1);
  });
});
