import { MongoClient, type Collection } from 'mongodb';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from './embedded-db';

// The launcher's build fixes FerretDB 1.24's SQLite backend so lookups by _id use the _id index,
// also when the filter has more conditions (tools/embedded-db/build.mjs says why). These specs
// fail on an unpatched build: its plans say SCAN.
type Doc = { _id: string; version: number; tag?: string };

describe('embedded database lookups by _id', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  let collection: Collection<Doc>;
  const name = uniqueDbName('id_lookup');

  beforeAll(async () => {
    db = await startEmbeddedDb();
    client = await MongoClient.connect(db.uri);
    collection = client.db(name).collection<Doc>('c');
    await collection.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `id-${i}`, version: i % 3 })));
  });
  afterAll(async () => {
    await client.db(name).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
  });

  const plan = async (filter: object): Promise<string> => {
    const explained = await client.db(name).command({ explain: { find: 'c', filter } });
    return JSON.stringify(explained.queryPlanner);
  };

  it('searches the _id index for {_id} alone and with other conditions', async () => {
    expect(await plan({ _id: 'id-4' })).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
    expect(await plan({ _id: 'id-4', version: 1, gone: null })).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
    // Nothing to narrow by: still a scan.
    expect(await plan({ version: 1 })).toMatch(/SCAN/);
  });

  it('still applies every other condition after narrowing by _id', async () => {
    expect(await collection.findOne({ _id: 'id-4', version: 1 })).toEqual({ _id: 'id-4', version: 1 });
    expect(await collection.findOne({ _id: 'id-4', version: 2 })).toBeNull();
    const stale = await collection.findOneAndUpdate({ _id: 'id-5', version: 0 }, { $set: { tag: 'x' } });
    expect(stale).toBeNull();
    const fresh = await collection.findOneAndUpdate({ _id: 'id-5', version: 2 }, { $set: { tag: 'x' } }, { returnDocument: 'after' });
    expect(fresh).toEqual({ _id: 'id-5', version: 2, tag: 'x' });
    expect(await collection.countDocuments({ tag: 'x' })).toBe(1);
    expect((await collection.deleteOne({ _id: 'id-6', version: 1 })).deletedCount).toBe(0);
    expect((await collection.deleteOne({ _id: 'id-6', version: 0 })).deletedCount).toBe(1);
  });
});

describe('embedded database bulk updates', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  const name = uniqueDbName('bulk_update');

  beforeAll(async () => {
    db = await startEmbeddedDb();
    client = await MongoClient.connect(db.uri);
  });
  afterAll(async () => {
    await client.db(name).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
  });

  it('applies an update command of 150 statements (more than the 100 pooled connections)', async () => {
    // Unpatched FerretDB 1.24 held one connection per statement until the command ended and hung here.
    const collection = client.db(name).collection<Doc>('c');
    await collection.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: `id-${i}`, version: 0 })));
    const ops = Array.from({ length: 150 }, (_, i) => ({ updateOne: { filter: { _id: `id-${i}` }, update: { $set: { version: 1 } } } }));
    const result = await collection.bulkWrite(ops, { ordered: false });
    expect(result.modifiedCount).toBe(150);
    expect(await collection.countDocuments({ version: 1 })).toBe(150);
  });
});
