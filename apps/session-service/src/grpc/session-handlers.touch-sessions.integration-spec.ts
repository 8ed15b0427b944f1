import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { createSessionFeedClient, SessionFeedApi } from '@session/grpc-client';
import { timestampToDate } from '@session/proto';
import { FeedWatcher } from '../testing/feed-watcher';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

const MINUTE = 60_000;

describe('TouchSessions over a real port', () => {
  let t: TestService;
  let feed: SessionFeedApi;
  let watcher: FeedWatcher;

  beforeAll(async () => {
    t = await startTestService({ env: { SESSION_IDLE_TTL: '10m', SESSION_ABSOLUTE_TTL: '12m', SESSION_TOUCH_INTERVAL: '60s' } });
    feed = new SessionFeedApi(createSessionFeedClient({ address: t.address }));
  });
  beforeEach(async () => {
    watcher = new FeedWatcher(t.address);
    await watcher.until((w) => w.messages.length >= 1, 5_000, 'RESET');
  });
  afterEach(() => watcher.close());
  afterAll(async () => {
    feed.close();
    await t?.close();
  });

  const doc = async (id: string) => (await t.collection.findOne({ _id: id }))!;
  const create = async () => (await t.api.createSession({})).session!.session_id;

  it('extends only the live sessions not written within the touch interval, caps by the absolute expiry, and publishes EXTENDED for exactly those', async () => {
    const t0 = t.clock.now().getTime();
    const expired = await create();
    t.clock.advance(1 * MINUTE);
    const capped = await create();
    const revoked = await t.api.createSession({});
    await t.api.revokeSession({ token: revoked.token });
    t.clock.advance(8 * MINUTE);
    const uncapped = await create();
    t.clock.advance(1 * MINUTE);
    const fresh = await create();
    t.clock.advance(MINUTE / 2);
    const now = t0 + 10.5 * MINUTE;
    const before = await Promise.all([expired, revoked.session!.session_id, fresh].map(doc));

    const ids = [expired, capped, revoked.session!.session_id, uncapped, fresh, randomUUID(), capped];
    expect(await feed.touchSessions({ session_ids: ids })).toEqual({ touched_count: 2 });

    const newIdle = now + 10 * MINUTE;
    expect(await doc(uncapped)).toMatchObject({
      last_seen_at: new Date(now),
      idle_expires_at: new Date(newIdle),
      expires_at: new Date(newIdle),
    });
    // Created at 1 min: its absolute expiry (13 min) comes before the new idle one.
    expect(await doc(capped)).toMatchObject({
      last_seen_at: new Date(now),
      idle_expires_at: new Date(newIdle),
      expires_at: new Date(t0 + 13 * MINUTE),
    });
    expect(await Promise.all([expired, revoked.session!.session_id, fresh].map(doc))).toEqual(before);

    await watcher.untilChanges(4);
    expect(watcher.changes[1]).toMatchObject({ kind: 'SESSION_CHANGE_KIND_REVOKED', session_id: revoked.session!.session_id });
    const extended = watcher.changes.slice(2);
    expect(extended.map((m) => m.kind)).toEqual(['SESSION_CHANGE_KIND_EXTENDED', 'SESSION_CHANGE_KIND_EXTENDED']);
    expect(extended.map((m) => m.session_id).sort()).toEqual([capped, uncapped].sort());
    for (const m of extended) expect(timestampToDate(m.idle_expires_at)?.getTime()).toBe(newIdle);

    // Just touched: not due again within the interval.
    expect(await feed.touchSessions({ session_ids: [capped, uncapped] })).toEqual({ touched_count: 0 });
  });

  it('refuses more than 1000 ids or a malformed one with INVALID_ARGUMENT and changes nothing', async () => {
    const id = await create();
    t.clock.advance(2 * MINUTE);
    const before = await doc(id);
    const tooMany = Array.from({ length: 1001 }, () => id);
    expect(await failureOf(feed.touchSessions({ session_ids: tooMany }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'bad_request',
    });
    expect(await failureOf(feed.touchSessions({ session_ids: [id, 'not-a-uuid'] }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('session_ids[1]'),
    });
    expect(await failureOf(feed.touchSessions({ session_ids: [`${id}.secret`] }))).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await doc(id)).toEqual(before);
    // One thousand is allowed, and the one due session among them moves.
    expect(await feed.touchSessions({ session_ids: [...Array.from({ length: 999 }, () => randomUUID()), id] })).toEqual({
      touched_count: 1,
    });
    await watcher.untilChanges(2);
    expect(watcher.changes.slice(1).map((m) => [m.kind, m.session_id])).toEqual([['SESSION_CHANGE_KIND_EXTENDED', id]]);
  });
});
