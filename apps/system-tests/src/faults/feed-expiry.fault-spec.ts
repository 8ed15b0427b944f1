import { createSession, readSession } from './support/rest-client';
import { hits, misses, startFeedStack, warm, type FeedStack } from './support/feed-stack';
import { Teardown } from './support/teardown';
import { recordFigures, timeUntil } from './support/wait';

type Body = { session?: { idle_expires_at: string; absolute_expires_at: string } };

/** One replica, one gateway, short TTLs: what the cache does at the edges of a session's life. */
function withStack(options: Parameters<typeof startFeedStack>[1], body: (get: () => FeedStack) => void): void {
  const teardown = new Teardown();
  let stack: FeedStack;
  beforeAll(async () => {
    stack = await startFeedStack(teardown, { services: 1, gateways: 1, ...options });
  }, 120_000);
  afterAll(() => teardown.run());
  body(() => stack);
}

/** Reads a warm session until refused; the refusal comes at `field` (not before, and within a second) and is counted as `missReason`. */
async function expectRefusedAt(stack: FeedStack, field: 'idle_expires_at' | 'absolute_expires_at', missReason: string): Promise<void> {
  const gateway = stack.replicas.gateways[0];
  const session = await createSession(gateway.url, `${missReason}-create`);
  await warm(gateway, session);
  const res = await readSession(gateway.url, session, `${missReason}-read`);
  const expiresAt = Date.parse((res.body as Body).session![field]);
  const before = await misses(gateway, missReason);
  let i = 0;
  const refusedIn = await timeUntil(
    async () => (await readSession(gateway.url, session, `${missReason}-${i++}`)).status === 401,
    10_000,
    20,
  );
  const refusedAt = Date.now();
  recordFigures(`feed-${missReason}`, { refusedAfterExpiryMs: refusedAt - expiresAt });
  expect(refusedIn).not.toBeNull();
  expect(refusedAt).toBeGreaterThanOrEqual(expiresAt);
  expect(refusedAt - expiresAt).toBeLessThan(1_000);
  expect(await misses(gateway, missReason)).toBeGreaterThan(before);
}

describe('a cached entry is refused at its idle expiry', () => {
  // No touches from the cache within the test, so only the miss's own extension counts.
  withStack(
    { serviceEnv: { SESSION_IDLE_TTL: '3s', SESSION_TOUCH_INTERVAL: '1s' }, gatewayEnv: { SESSION_TOUCH_INTERVAL: '1h' } },
    (stack) => {
      it('serves it from the cache until idle_expires_at, then 401 (missed as idle_expired)', () =>
        expectRefusedAt(stack(), 'idle_expires_at', 'idle_expired'));
    },
  );
});

describe('a cached entry is refused at its absolute expiry', () => {
  withStack(
    {
      serviceEnv: { SESSION_IDLE_TTL: '1h', SESSION_ABSOLUTE_TTL: '4s', SESSION_TOUCH_INTERVAL: '1s' },
      gatewayEnv: { SESSION_TOUCH_INTERVAL: '1s' },
    },
    (stack) => {
      it('serves it from the cache until absolute_expires_at, then 401 (missed as absolute_expired)', () =>
        expectRefusedAt(stack(), 'absolute_expires_at', 'absolute_expired'));
    },
  );
});

describe('touch batching keeps alive a session served only from the cache', () => {
  withStack(
    {
      serviceEnv: { SESSION_IDLE_TTL: '2s', SESSION_TOUCH_INTERVAL: '500ms' },
      gatewayEnv: { SESSION_TOUCH_INTERVAL: '500ms', SESSION_CACHE_MAX_AGE: '1h' },
    },
    (stack) => {
      it('outlives four idle TTLs with every read a hit (the miss counter stays flat)', async () => {
        const gateway = stack().replicas.gateways[0];
        const session = await createSession(gateway.url, 'touch-create');
        await warm(gateway, session);
        const [missesBefore, hitsBefore] = [await misses(gateway), await hits(gateway)];
        const started = Date.now();
        const statuses: number[] = [];
        let i = 0;
        // Reads for 8 s (four idle TTLs); the loop's condition is elapsed time, each read waits on its answer.
        await timeUntil(
          async () => {
            statuses.push((await readSession(gateway.url, session, `touch-${i++}`)).status ?? 0);
            return Date.now() - started >= 8_000;
          },
          20_000,
          100,
        );
        recordFigures('feed-touch-batching', { reads: statuses.length, hits: (await hits(gateway)) - hitsBefore });
        expect(statuses.every((s) => s === 200)).toBe(true);
        expect(await misses(gateway)).toBe(missesBefore);
        expect((await hits(gateway)) - hitsBefore).toBe(statuses.length);
      });
    },
  );
});

describe('the max-age backstop for a change made directly in the database', () => {
  const MAX_AGE_MS = 2_000;
  // Refresh-ahead off: it would catch the edit sooner (a refusal, not a max-age miss); this checks the
  // bound that holds when refreshes fail or are skipped.
  withStack({ gatewayEnv: { SESSION_CACHE_MAX_AGE: `${MAX_AGE_MS}ms`, SESSION_CACHE_REFRESH_CONCURRENCY: '0' } }, (stack) => {
    it('refuses a session whose revoked_at was set with the mongodb driver within SESSION_CACHE_MAX_AGE', async () => {
      const gateway = stack().replicas.gateways[0];
      const session = await createSession(gateway.url, 'maxage-create');
      await warm(gateway, session);
      const cachedAt = Date.now(); // the entry was filled no earlier than this
      await stack().sessions.updateOne({ _id: session.sessionId } as never, { $set: { revoked_at: new Date() } });
      let i = 0;
      const refusedIn = await timeUntil(async () => (await readSession(gateway.url, session, `maxage-${i++}`)).status === 401, 10_000, 20);
      recordFigures('feed-max-age', { refusedAfterEditMs: refusedIn, sinceCachedMs: Date.now() - cachedAt });
      expect(refusedIn).not.toBeNull();
      expect(Date.now() - cachedAt).toBeLessThanOrEqual(MAX_AGE_MS + 500);
      expect(await misses(gateway, 'max_age')).toBeGreaterThan(0);
    });
  });
});
