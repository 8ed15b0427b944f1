import { timestampToDate } from '@session/proto';
import { metricValue, waitUntil } from '@session/testing';
import { startScriptedFeedEdge, type ScriptedFeedEdge } from '../../testing/scripted-feed-edge';

const MAX_AGE_MS = 3_000;

/**
 * Refresh-ahead over real ports: the real session service answers the
 * gateway's background revalidations, and a scripted feed (which never
 * reports anything here) keeps the cache trusted, so what changes an entry
 * is the refresh alone.
 */
describe('gateway near cache refresh-ahead (outside client, real session service, scripted feed)', () => {
  let t: ScriptedFeedEdge;

  const get = (token: string) => fetch(`${t.gateway.url}/api/sessions/current`, { headers: { authorization: `Bearer ${token}` } });
  const idleExpiry = async (token: string) => {
    const res = await get(token);
    expect(res.status).toBe(200);
    return Date.parse(((await res.json()) as { session: { idle_expires_at: string } }).session.idle_expires_at);
  };
  const create = async () => (await (await fetch(`${t.gateway.url}/api/sessions`, { method: 'POST' })).json()) as { token: string };
  const metric = (name: string, labels: Record<string, string> = {}) => metricValue(t.gateway.metricsUrl, name, labels);
  const refreshes = (outcome: string) => metric('session_cache_refreshes_total', { outcome });

  beforeAll(async () => {
    t = await startScriptedFeedEdge(
      {
        SESSION_CACHE_MAX_AGE: `${MAX_AGE_MS}ms`,
        // No batched touch during the spec: the refresh is the only call that could move the idle expiry.
        SESSION_TOUCH_INTERVAL: '600s',
      },
      // The service writes a new idle expiry on an extending validation 1 s after the last write, so a
      // refresh that extended would show in the answer within this spec.
      { SESSION_TOUCH_INTERVAL: '1s' },
    );
  });
  afterAll(() => t?.close());

  it('serves a busy session from the cache past its max age without a miss, refreshing it in the background without extending it', async () => {
    const { token } = await create();
    const filledIdleExpiry = await idleExpiry(token); // the miss that fills
    const filledAt = Date.now();
    const [hitsBefore, missesBefore] = [await metric('session_cache_hits_total'), await metric('session_cache_misses_total')];
    const statuses: number[] = [];
    // A busy client: a read every 20 ms until one and a half max ages have passed and two refreshes were
    // answered (the second comes over 1 s after the last write, when an extending validation would write).
    await waitUntil(
      async () => {
        statuses.push((await get(token)).status);
        return Date.now() - filledAt > 1.5 * MAX_AGE_MS && (await refreshes('refreshed')) >= 2;
      },
      { what: 'two refreshes past one and a half max ages', timeoutMs: 20_000 },
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await metric('session_cache_hits_total')) - hitsBefore).toBe(statuses.length);
    expect((await metric('session_cache_misses_total')) - missesBefore).toBe(0);
    // The entry now holds a refresh's answer: the idle expiry the session had, not a new one.
    expect(await idleExpiry(token)).toBe(filledIdleExpiry);
    // Control: an extending validation at this point does move it, so the check above could fail.
    const { session } = await t.api.validateSession({ token });
    expect(timestampToDate(session?.idle_expires_at)?.getTime()).toBeGreaterThan(filledIdleExpiry);
  });

  it('drops an entry whose refresh the service refuses (revoked without a feed event), before its max age', async () => {
    const { token } = await create();
    expect((await get(token)).status).toBe(200); // cached
    const [refusedBefore, staleBefore] = [await refreshes('refused'), await metric('session_cache_evictions_total', { reason: 'max_age' })];
    expect((await t.api.revokeSession({ token })).revoked).toBe(true);
    // The feed says nothing, so only the refresh can learn of it: served until a hit past the refresh time.
    const refused = await waitUntil(
      async () => {
        const res = await get(token);
        return res.status === 401 && ((await res.json()) as { code: string });
      },
      { what: 'the revoked token to be refused', timeoutMs: 2 * MAX_AGE_MS },
    );
    expect(refused.code).toBe('session_revoked');
    expect((await refreshes('refused')) - refusedBefore).toBe(1);
    expect((await metric('session_cache_evictions_total', { reason: 'max_age' })) - staleBefore).toBe(0);
  });
});
