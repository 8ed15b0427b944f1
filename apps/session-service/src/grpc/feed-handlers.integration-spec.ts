import { jsonToStruct, type WatchSessionChangesResponse__Output } from '@session/proto';
import { waitUntil } from '@session/testing';
import { NO_DEADLINE } from '../domain/call-context';
import type { SessionChange } from '../domain/change-publisher';
import { Sweeper, sweeperSettings } from '../sweeper/sweeper';
import { FeedWatcher } from '../testing/feed-watcher';
import { startTestService, type TestService } from '../testing/test-service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function expectConsecutive(messages: WatchSessionChangesResponse__Output[], streamId: string): void {
  expect(messages[0]).toMatchObject({ kind: 'SESSION_CHANGE_KIND_RESET', sequence: '1', stream_id: streamId });
  messages.forEach((m, i) => {
    expect(m.sequence).toBe(String(i + 1));
    expect(m.stream_id).toBe(streamId);
  });
}

describe('WatchSessionChanges over a real port', () => {
  let t: TestService;
  const watchers: FeedWatcher[] = [];
  const watch = () => {
    const w = new FeedWatcher(t.address);
    watchers.push(w);
    return w;
  };

  beforeAll(async () => {
    t = await startTestService({
      env: { SESSION_IDLE_TTL: '10m', SESSION_ABSOLUTE_TTL: '30d', SESSION_TOUCH_INTERVAL: '60s', SESSION_REVOKED_RETENTION: '1h' },
    });
  });
  afterEach(() => watchers.splice(0).forEach((w) => w.close()));
  afterAll(async () => t?.close());

  it('starts with RESET, then every write kind in order, each published before its RPC answered, with no token or hash anywhere', async () => {
    const w = watch();
    await w.until((x) => x.messages.length >= 1, 5_000, 'RESET');
    // Heard in this process at publication time: a change must be there when its RPC's answer arrives.
    const published: SessionChange[] = [];
    t.changes.subscribe({ onChange: (e) => published.push(e.change), onClose: () => undefined });
    const expectPublished = (kind: SessionChange['kind']) => expect(published.at(-1)?.kind).toBe(kind);

    const a = await t.api.createSession({ user_data: jsonToStruct({ n: 1 }) });
    expect(published).toHaveLength(0);
    const id = a.session!.session_id;
    t.clock.advance(2 * MINUTE);
    await t.api.validateSession({ token: a.token, extend: true });
    expectPublished('extended');
    await t.api.validateSession({ token: a.token, extend: true }); // not due again: no write, no event
    await t.api.updateSessionData({ token: a.token, user_data: jsonToStruct({ n: 2 }) });
    expectPublished('updated');
    const bound = await t.api.bindUser({ token: a.token, user_id: 'feed-user' });
    expectPublished('rotated');
    await t.api.touchSession({ token: bound.token });
    expectPublished('extended');
    const b = await t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: 'feed-user' });
    await t.api.revokeUserSessions({ user_id: 'feed-user', except_session_id: id });
    expectPublished('user_revoked');
    await t.api.revokeSession({ token: bound.token });
    expectPublished('revoked');
    const hashes = (await t.collection.find({}).toArray()).map((d) => d.secret_hash);
    t.clock.advance(2 * HOUR);
    await new Sweeper(t.repository, sweeperSettings(t.config), t.clock, t.logger, t.changes).runOnce();
    expectPublished('removed');

    await w.until((x) => x.changes.filter((m) => m.kind === 'SESSION_CHANGE_KIND_REMOVED').length === 2, 5_000, 'both removals');
    const changes = w.changes;
    expect(changes.map((m) => m.kind)).toEqual([
      'SESSION_CHANGE_KIND_RESET',
      'SESSION_CHANGE_KIND_EXTENDED',
      'SESSION_CHANGE_KIND_UPDATED',
      'SESSION_CHANGE_KIND_ROTATED',
      'SESSION_CHANGE_KIND_EXTENDED',
      'SESSION_CHANGE_KIND_ROTATED', // b bound
      'SESSION_CHANGE_KIND_USER_REVOKED',
      'SESSION_CHANGE_KIND_REVOKED',
      'SESSION_CHANGE_KIND_REMOVED',
      'SESSION_CHANGE_KIND_REMOVED',
    ]);
    expectConsecutive(w.messages, t.changes.streamId);
    expect(changes[1]).toMatchObject({ session_id: id, idle_expires_at: expect.anything() });
    expect(changes[2]).toMatchObject({ session_id: id, version: '1' });
    expect(changes[3]).toMatchObject({ session_id: id, version: '2', user_id: 'feed-user' });
    expect(changes[4]).toMatchObject({ session_id: id, user_id: 'feed-user', idle_expires_at: expect.anything() });
    expect(changes[5]).toMatchObject({ session_id: b.session!.session_id, user_id: 'feed-user', version: '1' });
    expect(changes[6]).toMatchObject({ user_id: 'feed-user', except_session_id: id, session_id: '' });
    expect(changes[7]).toMatchObject({ session_id: id, user_id: 'feed-user' });
    expect(
      changes
        .slice(8)
        .map((m) => m.session_id)
        .sort(),
    ).toEqual([id, b.session!.session_id].sort());
    for (const m of changes) expect(m.changed_at).not.toBeNull();
    const wire = JSON.stringify(w.messages);
    for (const secret of [a.token, bound.token, b.token].map((token) => token.split('.')[1]!)) expect(wire).not.toContain(secret);
    for (const hash of hashes) expect(wire).not.toContain(hash);
  });

  it('sends heartbeats with consecutive sequences while idle', async () => {
    const idle = await startTestService({ db: t.db, env: { FEED_HEARTBEAT_INTERVAL: '100ms' } });
    try {
      const w = new FeedWatcher(idle.address);
      watchers.push(w);
      await w.until((x) => x.messages.length >= 4, 3_000, 'three heartbeats');
      expect(w.messages.slice(1, 4).map((m) => m.kind)).toEqual(Array(3).fill('SESSION_CHANGE_KIND_HEARTBEAT'));
      expectConsecutive(w.messages, idle.changes.streamId);
    } finally {
      await idle.close();
    }
  });

  it('ends a subscriber that stopped reading with RESOURCE_EXHAUSTED while another keeps receiving everything', async () => {
    const small = await startTestService({ db: t.db, env: { FEED_BUFFER_SIZE: '200' } });
    try {
      const slow = new FeedWatcher(small.address);
      const fast = new FeedWatcher(small.address);
      watchers.push(slow, fast);
      await slow.until((x) => x.messages.length >= 1, 5_000, 'RESET');
      await fast.until((x) => x.messages.length >= 1, 5_000, 'RESET');
      slow.call.pause();
      // Until the paused stream is cut off (its windows and buffer full), then some more.
      let total = 50_000;
      for (let i = 0; i < total; i++) {
        if (small.changes.subscriberCount === 1 && total > i + 500) total = i + 500;
        small.changes.publish({ kind: 'removed', sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
        // Paced by the reading subscriber (real writes come one database round trip apart): it never
        // falls a buffer behind, while the paused one eventually must.
        if (i % 50 === 49) await fast.until((x) => x.changeCount >= i - 50, 5_000, 'the reader to keep up');
      }
      await fast.untilChanges(total + 1, 20_000);
      expectConsecutive(fast.messages, small.changes.streamId);
      expect(fast.ended).toBeUndefined();
      expect(await small.metrics.registry.getSingleMetricAsString('session_feed_stream_overflows_total')).toMatch(/ 1$/m);
      expect(small.changes.subscriberCount).toBe(1);
      slow.call.resume();
      await slow.until((x) => x.ended !== undefined, 10_000, 'end of the slow stream');
      expect(slow.ended).toMatchObject({ code: 8 /* RESOURCE_EXHAUSTED */ });
      expect(slow.ended!.metadata.get('x-error-code')).toEqual(['feed_overflow']);
      expect(slow.messages.length).toBeLessThan(total);
      expectConsecutive(slow.messages, small.changes.streamId);
    } finally {
      await small.close();
    }
  });

  it('forgets a subscriber that cancels', async () => {
    const w = watch();
    await w.until((x) => x.messages.length >= 1, 5_000, 'RESET');
    const before = t.changes.subscriberCount;
    w.close();
    await waitUntil(() => t.changes.subscriberCount === before - 1, {
      what: 'the cancelled subscriber to be forgotten',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    expect(await t.metrics.registry.getSingleMetricAsString('session_feed_subscribers')).toMatch(new RegExp(` ${before - 1}$`, 'm'));
  });

  it('counts published events by kind', async () => {
    const { token } = await t.api.createSession({});
    await t.api.revokeSession({ token });
    expect(await t.metrics.registry.getSingleMetricAsString('session_feed_events_published_total')).toMatch(/kind="revoked"} [1-9]/);
    expect(await t.service.touchMany([], NO_DEADLINE)).toBe(0);
  });
});
