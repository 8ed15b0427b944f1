import { CachedValidator, type CachedValidatorOptions } from './cached-validator';
import { FakeFeed, FakeService, atMs, session, testMetrics } from './testing/fake-deps';

describe('CachedValidator (fake clock, fake service and feed)', () => {
  let now: number;
  let feed: FakeFeed;
  let service: FakeService;
  let m: ReturnType<typeof testMetrics>;
  let validator: CachedValidator;

  const make = (overrides: Partial<CachedValidatorOptions> = {}) => {
    validator?.close();
    validator = new CachedValidator({
      validate: service.validate,
      touch: service.touch,
      feed,
      metrics: m.metrics,
      enabled: true,
      maxEntries: 100,
      maxAgeMs: 60_000,
      // No jitter unless a test asks: exact ages.
      maxAgeJitter: 0,
      touchIntervalMs: 60_000,
      now: () => now,
      ...overrides,
    });
    return validator;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000_000;
    feed = new FakeFeed();
    service = new FakeService();
    m = testMetrics();
    service.sessions.set('a', session('a', { userId: 'u1', idleExpiresAt: now + 600_000, absoluteExpiresAt: now + 3_600_000 }));
    service.sessions.set('b', session('b', { userId: 'u1', idleExpiresAt: now + 600_000, absoluteExpiresAt: now + 3_600_000 }));
    service.sessions.set('c', session('c', { userId: 'u1', idleExpiresAt: now + 600_000, absoluteExpiresAt: now + 3_600_000 }));
    make();
  });
  afterEach(() => {
    validator.close();
    jest.useRealTimers();
  });

  const missesFor = (reason: string) => m.value('session_cache_misses_total', { reason });
  const evictionsFor = (reason: string) => m.value('session_cache_evictions_total', { reason });

  it('serves the second validation from the cache, with the same session', async () => {
    const first = await validator.validate('a.secret');
    const second = await validator.validate('a.secret');
    expect(second).toEqual(first);
    expect(service.calls).toBe(1);
    expect(await m.value('session_cache_hits_total')).toBe(1);
    expect(await missesFor('absent')).toBe(1);
    expect(await m.value('session_cache_entries')).toBe(1);
  });

  it('keys by token: another secret for the same session id is not a hit', async () => {
    await validator.validate('a.secret');
    await validator.validate('a.other');
    expect(service.calls).toBe(2);
  });

  it('misses when disabled, and caches nothing', async () => {
    make({ enabled: false });
    await validator.validate('a.secret');
    await validator.validate('a.secret');
    expect(service.calls).toBe(2);
    expect(await missesFor('disabled')).toBe(2);
    expect(validator.size).toBe(0);
  });

  it('misses while the feed is not caught up, and caches nothing', async () => {
    feed.caughtUp = false;
    await validator.validate('a.secret');
    await validator.validate('a.secret');
    expect(service.calls).toBe(2);
    expect(await missesFor('feed_not_ready')).toBe(2);
    expect(validator.size).toBe(0);
  });

  it('spreads max-age expiry over the jitter but never serves an entry past the maximum age', async () => {
    const draws = [1, 0.5, 0];
    make({ maxAgeJitter: 0.2, random: () => draws.shift() ?? 0 });
    await validator.validate('a.secret'); // stale at 48 s (jitter 0.2 x 1)
    await validator.validate('b.secret'); // 54 s
    await validator.validate('c.secret'); // 60 s
    const servedAt = async (t: number) => {
      const before = service.calls;
      now = 1_000_000 + t;
      for (const token of ['a.secret', 'b.secret', 'c.secret']) await validator.validate(token);
      return service.calls - before;
    };
    expect(await servedAt(47_999)).toBe(0);
    expect(await servedAt(48_000)).toBe(1); // a refetched (and cached again)
    expect(await servedAt(54_000)).toBe(1); // b
    expect(await servedAt(60_000)).toBe(1); // c: the maximum age itself is never exceeded
    expect(await missesFor('max_age')).toBe(3);
  });

  it('misses once an entry reaches the maximum age, though the session is live', async () => {
    await validator.validate('a.secret');
    now += 59_999;
    await validator.validate('a.secret');
    expect(service.calls).toBe(1);
    now += 1;
    await validator.validate('a.secret');
    expect(service.calls).toBe(2);
    expect(await missesFor('max_age')).toBe(1);
    expect(await evictionsFor('max_age')).toBe(1);
  });

  it('checks the idle expiry from the cached times on every hit', async () => {
    service.sessions.set('a', session('a', { idleExpiresAt: now + 10_000, absoluteExpiresAt: now + 3_600_000 }));
    await validator.validate('a.secret');
    now += 9_999;
    await validator.validate('a.secret');
    expect(service.calls).toBe(1);
    now += 1;
    await expect(validator.validate('a.secret')).resolves.toBeDefined();
    expect(service.calls).toBe(2);
    expect(await missesFor('idle_expired')).toBe(1);
  });

  it('checks the absolute expiry from the cached times on every hit', async () => {
    service.sessions.set('a', session('a', { idleExpiresAt: now + 600_000, absoluteExpiresAt: now + 5_000 }));
    await validator.validate('a.secret');
    now += 5_000;
    await validator.validate('a.secret');
    expect(service.calls).toBe(2);
    expect(await missesFor('absolute_expired')).toBe(1);
    expect(await evictionsFor('expired')).toBe(1);
  });

  it('does not cache a refusal: an invalid token is asked again each time', async () => {
    await expect(validator.validate('zz.secret')).rejects.toMatchObject({ code: 16 });
    await expect(validator.validate('zz.secret')).rejects.toMatchObject({ code: 16 });
    expect(service.calls).toBe(2);
  });

  it.each([
    ['SESSION_CHANGE_KIND_ROTATED', 'rotated'],
    ['SESSION_CHANGE_KIND_REVOKED', 'revoked'],
    ['SESSION_CHANGE_KIND_REMOVED', 'removed'],
  ] as const)('%s evicts the session', async (kind, reason) => {
    await validator.validate('a.secret');
    await validator.validate('b.secret');
    feed.change(kind, { session_id: 'a' });
    await validator.validate('a.secret');
    await validator.validate('b.secret');
    expect(service.calls).toBe(3);
    expect(await evictionsFor(reason)).toBe(1);
  });

  it('UPDATED with a newer version evicts; with the cached version or older it is ignored', async () => {
    await validator.validate('a.secret');
    feed.change('SESSION_CHANGE_KIND_UPDATED', { session_id: 'a', version: 1 });
    await validator.validate('a.secret');
    expect(service.calls).toBe(1);
    feed.change('SESSION_CHANGE_KIND_UPDATED', { session_id: 'a', version: 2 });
    await validator.validate('a.secret');
    expect(service.calls).toBe(2);
    expect(await evictionsFor('updated')).toBe(1);
  });

  it('EXTENDED moves the cached idle expiry in place (no eviction, served past the old expiry)', async () => {
    service.sessions.set('a', session('a', { idleExpiresAt: now + 10_000, absoluteExpiresAt: now + 3_600_000 }));
    await validator.validate('a.secret');
    feed.change('SESSION_CHANGE_KIND_EXTENDED', { session_id: 'a', idle_expires_at: atMs(now + 50_000) });
    now += 20_000;
    const served = await validator.validate('a.secret');
    expect(service.calls).toBe(1);
    expect(served.idleExpiresAt).toBe(now + 30_000);
  });

  it('USER_REVOKED evicts every session of the user but the excepted one', async () => {
    await Promise.all(['a', 'b', 'c'].map((id) => validator.validate(`${id}.secret`)));
    feed.change('SESSION_CHANGE_KIND_USER_REVOKED', { user_id: 'u1', except_session_id: 'b' });
    expect(validator.size).toBe(1);
    await validator.validate('b.secret');
    expect(service.calls).toBe(3);
    expect(await evictionsFor('user_revoked')).toBe(2);
  });

  it.each(['reset', 'down'] as const)('a feed %s empties the cache', async (event) => {
    await validator.validate('a.secret');
    await validator.validate('b.secret');
    if (event === 'reset') feed.emit('reset', { target: 't', streamId: 'x' });
    else feed.emit('down', { target: 't', reason: 'stale', detail: '' });
    expect(validator.size).toBe(0);
    expect(await evictionsFor('reset')).toBe(2);
    expect(await m.value('session_feed_resets_total')).toBe(1);
  });

  it('a lost feed suspends hits until it is caught up again', async () => {
    await validator.validate('a.secret');
    feed.caughtUp = false;
    feed.emit('down', { target: 't', reason: 'lost', detail: '' });
    await validator.validate('a.secret');
    await validator.validate('a.secret');
    expect(service.calls).toBe(3);
    feed.caughtUp = true;
    feed.emit('reset', { target: 't', streamId: 'y' });
    await validator.validate('a.secret');
    await validator.validate('a.secret');
    expect(service.calls).toBe(4);
  });

  describe('fill race', () => {
    it.each([
      ['a revocation of the session', () => feed.change('SESSION_CHANGE_KIND_REVOKED', { session_id: 'a' })],
      ['a revocation of its user', () => feed.change('SESSION_CHANGE_KIND_USER_REVOKED', { user_id: 'u1' })],
      ['a feed reset', () => feed.emit('reset', { target: 't', streamId: 'z' })],
    ])('an answer is not cached when %s arrived while it was in flight', async (_name, change) => {
      const release = service.hold();
      const pending = validator.validate('a.secret');
      change();
      release();
      await pending;
      expect(validator.size).toBe(0);
      await validator.validate('a.secret');
      expect(service.calls).toBe(2);
    });

    it('an answer is cached when only its own EXTENDED arrived meanwhile (a miss extends the session)', async () => {
      const release = service.hold();
      const pending = validator.validate('a.secret');
      feed.change('SESSION_CHANGE_KIND_EXTENDED', { session_id: 'a', idle_expires_at: atMs(now + 600_000) });
      feed.change('SESSION_CHANGE_KIND_REVOKED', { session_id: 'other' });
      release();
      await pending;
      expect(validator.size).toBe(1);
    });

    it('an answer slower than the fill window is not cached', async () => {
      make({ fillWindowMs: 5_000 });
      const release = service.hold();
      const pending = validator.validate('a.secret');
      now += 5_000;
      release();
      await pending;
      expect(validator.size).toBe(0);
    });
  });

  it('is bounded: the least recently used entry goes first', async () => {
    make({ maxEntries: 2 });
    await validator.validate('a.secret');
    await validator.validate('b.secret');
    await validator.validate('a.secret'); // a is now the most recent
    await validator.validate('c.secret');
    expect(validator.size).toBe(2);
    expect(await evictionsFor('lru')).toBe(1);
    await validator.validate('a.secret');
    expect(service.calls).toBe(3);
    await validator.validate('b.secret');
    expect(service.calls).toBe(4);
  });

  describe('touches', () => {
    it('queues a served session once per touch interval and sends the queue every second', async () => {
      // Longer than the touch interval, so the entry is still served when its touch is due.
      make({ maxAgeMs: 300_000 });
      await validator.validate('a.secret');
      now += 59_000;
      await validator.validate('a.secret');
      expect(validator.pendingTouches).toBe(0);
      now += 1_000;
      await validator.validate('a.secret');
      await validator.validate('a.secret');
      await validator.validate('a.secret');
      expect(validator.pendingTouches).toBe(1);
      expect(service.touched).toEqual([]);
      jest.advanceTimersByTime(1_000);
      expect(service.touched).toEqual([['a']]);
      now += 30_000;
      await validator.validate('a.secret');
      jest.advanceTimersByTime(1_000);
      expect(service.touched).toEqual([['a']]);
    });

    it('an EXTENDED from the service counts as reported activity', async () => {
      await validator.validate('a.secret');
      now += 50_000;
      feed.change('SESSION_CHANGE_KIND_EXTENDED', { session_id: 'a', idle_expires_at: atMs(now + 600_000) }, now);
      now += 20_000;
      await validator.validate('a.secret');
      expect(validator.pendingTouches).toBe(0);
    });

    it('sends at once when the queue reaches the batch size', async () => {
      make({ touchMaxBatch: 3, touchIntervalMs: 0 });
      for (const id of ['d', 'e', 'f', 'g'])
        service.sessions.set(id, session(id, { idleExpiresAt: now + 1e6, absoluteExpiresAt: now + 1e6 }));
      for (const id of ['d', 'e', 'f', 'g']) await validator.validate(`${id}.s`);
      for (const id of ['d', 'e', 'f']) await validator.validate(`${id}.s`);
      expect(service.touched).toEqual([['d', 'e', 'f']]);
      await validator.validate('g.s');
      jest.advanceTimersByTime(1_000);
      expect(service.touched).toEqual([['d', 'e', 'f'], ['g']]);
    });
  });

  describe('read your own writes', () => {
    it('commitWrite puts the answer so the next read sees it without a call', async () => {
      await validator.validate('a.secret');
      const ticket = validator.beginWrite();
      validator.commitWrite(
        ticket,
        'a.secret',
        session('a', { version: '2', userData: { theme: 'light' }, idleExpiresAt: now + 1e6, absoluteExpiresAt: now + 1e6 }),
      );
      const read = await validator.validate('a.secret');
      expect(read.userData).toEqual({ theme: 'light' });
      expect(service.calls).toBe(1);
    });

    it('a rotation replaces the old token, which no longer hits', async () => {
      await validator.validate('a.old');
      const ticket = validator.beginWrite();
      validator.commitWrite(
        ticket,
        'a.new',
        session('a', { userId: 'u9', idleExpiresAt: now + 1e6, absoluteExpiresAt: now + 1e6 }),
        'a.old',
      );
      expect((await validator.validate('a.new')).userId).toBe('u9');
      expect(service.calls).toBe(1);
      await validator.validate('a.old');
      expect(service.calls).toBe(2);
    });

    it('a write answer overtaken by a change is dropped, not cached', async () => {
      await validator.validate('a.secret');
      const ticket = validator.beginWrite();
      feed.change('SESSION_CHANGE_KIND_REVOKED', { session_id: 'a' });
      validator.commitWrite(ticket, 'a.secret', session('a', { version: '2' }));
      expect(validator.size).toBe(0);
    });

    it('drop forgets a token (logout)', async () => {
      await validator.validate('a.secret');
      validator.drop('a.secret');
      await validator.validate('a.secret');
      expect(service.calls).toBe(2);
      expect(await evictionsFor('write')).toBe(1);
    });
  });
});
