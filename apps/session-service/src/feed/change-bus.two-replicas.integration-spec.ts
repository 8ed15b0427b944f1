import { jsonToStruct } from '@session/proto';
import { FeedSubscriber, type FeedChange } from '@session/session-client';
import { startTestService, type TestService } from '../testing/test-service';

/**
 * Two service instances on one database, as replicas run: each publishes only its own writes, so the
 * near cache's subscriber (libs/session-client) attaches to both and must hear of a change made
 * through either.
 */
describe('the change feed of two replicas on one database', () => {
  let a: TestService;
  let b: TestService;
  let subscriber: FeedSubscriber;
  const changes: FeedChange[] = [];
  const downs: unknown[] = [];

  beforeAll(async () => {
    a = await startTestService({ env: { FEED_HEARTBEAT_INTERVAL: '200ms' } });
    b = await startTestService({ db: a.db, env: { MONGODB_DB: a.config.mongo.dbName, FEED_HEARTBEAT_INTERVAL: '200ms' } });
    subscriber = new FeedSubscriber({ targets: [a.address, b.address], staleAfterMs: 1_000 }).start();
    subscriber.on('change', (c) => changes.push(c)).on('down', (d) => downs.push(d));
  });
  afterAll(async () => {
    subscriber?.close();
    await b?.close();
    await a?.close();
  });

  async function heard(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`not heard: ${what}`);
      await new Promise((resolve) => subscriber.once('change', resolve).once('reset', resolve).once('down', resolve));
    }
  }

  it('hears a change made through either replica, each on that replica stream, and never loses either stream', async () => {
    await heard(() => subscriber.caughtUp, 'both RESETs');
    expect(a.changes.streamId).not.toBe(b.changes.streamId);

    const created = await a.api.createSession({});
    const id = created.session!.session_id;
    await b.api.updateSessionData({ token: created.token, user_data: jsonToStruct({ via: 'b' }) });
    await heard(() => changes.some((c) => c.kind === 'SESSION_CHANGE_KIND_UPDATED'), 'the update made through b');
    await a.api.revokeSession({ token: created.token });
    await heard(() => changes.some((c) => c.kind === 'SESSION_CHANGE_KIND_REVOKED'), 'the revocation made through a');

    expect(changes.map((c) => [c.kind, c.target, c.message.session_id])).toEqual([
      ['SESSION_CHANGE_KIND_UPDATED', b.address, id],
      ['SESSION_CHANGE_KIND_REVOKED', a.address, id],
    ]);
    expect(changes[0]!.message).toMatchObject({ version: '1', stream_id: b.changes.streamId });
    expect(changes[1]!.message.stream_id).toBe(a.changes.streamId);
    expect(downs).toEqual([]);
    expect(subscriber.caughtUp).toBe(true);
  });
});
