import { createHash } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { padSessions, secondaryIndexes } from './seed-sessions';

describe('padding user_sessions for the scale phase (embedded database)', () => {
  let embedded: EmbeddedDb;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    embedded = await startEmbeddedDb();
    client = await MongoClient.connect(embedded.uri);
  });
  afterAll(async () => {
    await client.close();
    await embedded.stop({ removeData: true });
  });
  beforeEach(async () => {
    db = client.db(uniqueDbName('padding'));
    const sessions = db.collection<{ _id: string }>('user_sessions');
    await sessions.createIndex({ session_id: 1 }, { unique: true, name: 'session_id_unique' });
    await sessions.createIndex({ user_id: 1, created_at: -1, _id: -1 }, { name: 'user_id_created_at' });
    await sessions.insertMany(
      ['live-1', 'live-2', 'live-3'].map((id) => ({
        _id: id,
        session_id: id,
        secret_hash: 'a'.repeat(64),
        user_id: null,
        created_at: new Date(),
      })),
    );
  });
  afterEach(() => db.dropDatabase());

  it.each([
    { writers: 1, rebuildIndexes: false },
    { writers: 3, rebuildIndexes: true },
  ])('reaches the target exactly with %o, keeps the live pool, and leaves the same indexes', async (options) => {
    const sessions = db.collection<{ _id: string; session_id: string; secret_hash: string }>('user_sessions');
    const indexesBefore = await secondaryIndexes(sessions);
    const r = await padSessions(db, 2_503, 60_000, { ...options, batchSize: 300, keepTokens: 5, templateSessionId: 'live-2' });

    expect(r).toMatchObject({ total: 2_503, inserted: 2_500, budgetHit: false });
    expect(await sessions.countDocuments()).toBe(2_503);
    expect(await sessions.countDocuments({ _id: { $in: ['live-1', 'live-2', 'live-3'] } })).toBe(3);
    expect(await secondaryIndexes(sessions)).toEqual(indexesBefore);
    // A kept token is `<session id>.<secret>` of a stored document holding SHA-256 of the secret.
    expect(r.tokens).toHaveLength(5);
    const [sessionId, secret] = r.tokens[0].split('.');
    const doc = await sessions.findOne({ _id: sessionId });
    expect(doc?.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
  });

  it('stops at the time budget with fewer documents and says so', async () => {
    const r = await padSessions(db, 1_000_000, 1, { batchSize: 200, writers: 2 });
    expect(r.budgetHit).toBe(true);
    expect(r.total).toBeLessThan(1_000_000);
    expect(await db.collection('user_sessions').countDocuments()).toBe(r.total);
  });
});
