import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient } from 'mongodb';
import { SESSIONS_COLLECTION, SessionRepository } from './session-repository';

describe('SessionRepository.ensureIndexes', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  const dbName = uniqueDbName('indexes');

  beforeAll(async () => {
    db = await startEmbeddedDb();
    client = await MongoClient.connect(db.uri);
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
  });

  it('creates the id, user and expiry indexes, degrading to a plain expiry index where TTL is refused, and is repeatable', async () => {
    const repository = new SessionRepository(client.db(dbName), { ttlGraceSeconds: 600 });
    const first = await repository.ensureIndexes();
    const second = await repository.ensureIndexes();
    const indexes = await client.db(dbName).collection(SESSIONS_COLLECTION).listIndexes().toArray();
    const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
    expect(byName.session_id_unique).toMatchObject({ key: { session_id: 1 }, unique: true });
    expect(byName.user_id).toMatchObject({ key: { user_id: 1 } });
    expect(byName.expires_at).toMatchObject({ key: { expires_at: 1 } });
    // FerretDB 1.x refuses TTL indexes; MongoDB accepts them. Either way the report says which.
    expect(first.ttl).toBe(byName.expires_at.expireAfterSeconds === 600);
    expect(second).toEqual(first);
    if (!first.ttl) expect(first.ttlError).toMatch(/expireAfterSeconds/);
  });

  it('reports a database it cannot reach by throwing', async () => {
    const closed = new MongoClient(db.uri, { serverSelectionTimeoutMS: 200 });
    await closed.close();
    await expect(new SessionRepository(closed.db(dbName)).ensureIndexes()).rejects.toThrow();
  });
});
