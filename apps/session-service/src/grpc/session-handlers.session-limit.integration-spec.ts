import { status } from '@grpc/grpc-js';
import { FeedWatcher } from '../testing/feed-watcher';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

const MINUTE = 60_000;

describe('SESSION_MAX_PER_USER over a real port', () => {
  let t: TestService;
  const watchers: FeedWatcher[] = [];
  beforeAll(async () => {
    t = await startTestService({ env: { SESSION_MAX_PER_USER: '3', SESSION_TOUCH_INTERVAL: '60s' } });
  });
  afterEach(() => watchers.splice(0).forEach((w) => w.close()));
  afterAll(async () => t?.close());
  const live = (userId: string) => t.collection.countDocuments({ user_id: userId, revoked_at: null });
  const signIn = async (userId: string) => t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: userId });

  it('revokes the least recently seen sessions beyond the limit, each with REVOKED on the feed, and keeps the one just bound', async () => {
    const watcher = new FeedWatcher(t.address);
    watchers.push(watcher);
    await watcher.untilChanges(1);
    const bound = [];
    for (let i = 0; i < 3; i++) {
      bound.push(await signIn('limit-order'));
      t.clock.advance(2 * MINUTE);
    }
    // The oldest bind is used again: now the second is the least recently seen.
    await t.api.validateSession({ token: bound[0].token });
    t.clock.advance(2 * MINUTE);
    const fourth = await signIn('limit-order');
    expect(await live('limit-order')).toBe(3);
    expect(await failureOf(t.api.validateSession({ token: bound[1].token }))).toMatchObject({
      code: status.UNAUTHENTICATED,
      errorCode: 'session_revoked',
    });
    for (const kept of [bound[0], bound[2], fourth]) await t.api.validateSession({ token: kept.token, extend: false });

    const evictedId = bound[1].session!.session_id;
    await watcher.until((w) => w.changes.some((m) => m.kind === 'SESSION_CHANGE_KIND_REVOKED'), 5_000, 'REVOKED');
    const revoked = watcher.changes.filter((m) => m.kind === 'SESSION_CHANGE_KIND_REVOKED');
    expect(revoked).toEqual([expect.objectContaining({ session_id: evictedId, user_id: 'limit-order' })]);
    // Heard no later than the bind's answer: the REVOKED comes right after that bind's ROTATED.
    const kinds = watcher.changes.map((m) => m.kind);
    expect(kinds.slice(-2)).toEqual(['SESSION_CHANGE_KIND_ROTATED', 'SESSION_CHANGE_KIND_REVOKED']);
  });

  it('breaks ties in last_seen_at by session id, and never touches other users or anonymous sessions', async () => {
    const anonymousBefore = await t.collection.countDocuments({ user_id: null, revoked_at: null });
    await signIn('bystander');
    // The manual clock stands still: five binds seen at the same instant.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await signIn('limit-ties')).session!.session_id);
    const last = ids.at(-1)!;
    const liveIds = (await t.collection.find({ user_id: 'limit-ties', revoked_at: null }).toArray()).map((d) => d._id).sort();
    // The last bind keeps itself and the two highest ids among the others.
    const others = ids
      .filter((id) => id !== last)
      .sort()
      .reverse();
    expect(liveIds).toEqual([last, ...others.slice(0, 2)].sort());
    expect(await live('bystander')).toBe(1);
    expect(await t.collection.countDocuments({ user_id: null, revoked_at: null })).toBe(anonymousBefore);
  });

  it('20 concurrent binds of one user at limit 3 all answer OK and leave at most 3 live sessions', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, async () => (await t.api.createSession({})).token));
    const results = await Promise.allSettled(tokens.map((token) => t.api.bindUser({ token, user_id: 'limit-burst' })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const remaining = await live('limit-burst');
    expect(remaining).toBeGreaterThanOrEqual(1);
    expect(remaining).toBeLessThanOrEqual(3);
    // Every revocation the limit made is a revoked document, not a removed one.
    expect(await t.collection.countDocuments({ user_id: 'limit-burst' })).toBe(20);
  });
});
