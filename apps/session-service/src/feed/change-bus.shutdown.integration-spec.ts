import { startEmbeddedDb, startSessionService, uniqueDbName, type EmbeddedDb, type SessionServiceProcess } from '@session/testing';
import { MongoClient } from 'mongodb';
import { FeedWatcher } from '../testing/feed-watcher';

/**
 * The built process: feed streams never end on their own, so shutdown must end them itself rather
 * than let them hold the drain until SHUTDOWN_GRACE forces it.
 */
describe('shutdown of a service with feed subscribers', () => {
  let db: EmbeddedDb;
  let service: SessionServiceProcess | undefined;
  const dbName = uniqueDbName('feedstop');

  beforeAll(async () => {
    db = await startEmbeddedDb();
  });
  afterAll(async () => {
    await service?.stop('SIGKILL');
    const client = await MongoClient.connect(db.uri);
    await client.db(dbName).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
  });

  it('ends every stream at once on SIGTERM and exits long before the grace period', async () => {
    service = await startSessionService({ mongoUri: db.uri, dbName, env: { SHUTDOWN_GRACE: '20s' } });
    const watchers = [new FeedWatcher(service.address), new FeedWatcher(service.address)];
    try {
      for (const w of watchers) await w.until((x) => x.messages.length >= 1, 5_000, 'RESET');
      const started = Date.now();
      const exited = service.stop('SIGTERM');
      for (const w of watchers) await w.until((x) => x.ended !== undefined, 5_000, 'the end of the stream');
      expect(await exited).toBe(0);
      const tookMs = Date.now() - started;
      expect(tookMs).toBeLessThan(5_000); // the grace is 20 s: nothing waited for the streams
      for (const w of watchers) expect(w.messages[0]).toMatchObject({ kind: 'SESSION_CHANGE_KIND_RESET', sequence: '1' });
    } finally {
      watchers.forEach((w) => w.close());
    }
  });
});
