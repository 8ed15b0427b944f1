import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { ServiceUnavailableError } from '../domain/errors';
import { classifyDriverError } from './driver-errors';

type Doc = { _id: string; n: number };

// The database's own answer over a real connection: a findAndModify that the embedded database cuts at its
// maxTimeMS must come back as MaxTimeMSExpired (50), as on MongoDB, not as InternalError (1), which stock
// FerretDB 1.24 answered and the service then reported as INTERNAL (a 500 at the gateway) under overload.
describe('the embedded database cutting a findAndModify at its maxTimeMS', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  let collection: Collection<Doc>;
  const name = uniqueDbName('time_limit');

  beforeAll(async () => {
    db = await startEmbeddedDb();
    client = await MongoClient.connect(db.uri);
    collection = client.db(name).collection<Doc>('c');
    // Enough rows that a scan outlasts 1 ms.
    for (let batch = 0; batch < 4; batch++) {
      await collection.insertMany(Array.from({ length: 5_000 }, (_, i) => ({ _id: `id-${batch}-${i}`, n: batch * 5_000 + i })));
    }
  }, 60_000);
  afterAll(async () => {
    await client?.db(name).dropDatabase();
    await client?.close();
    await db?.stop({ removeData: true });
  });

  it('answers MaxTimeMSExpired (50), which the service classifies as unavailable (503), not internal (500)', async () => {
    // No document matches, so the whole collection is scanned: far longer than 1 ms.
    const thrown = await collection.findOneAndUpdate({ n: { $lt: 0 } }, { $set: { n: 0 } }, { maxTimeMS: 1 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(thrown).toBeInstanceOf(MongoServerError);
    expect(thrown).toMatchObject({ code: 50, codeName: 'MaxTimeMSExpired' });
    expect(classifyDriverError(thrown)).toBeInstanceOf(ServiceUnavailableError);
  });

  it('still answers a findAndModify with time to spare normally', async () => {
    // The translation asks whether the time limit ran out, not whether one was set.
    const found = await collection.findOneAndUpdate({ _id: 'id-0-7' }, { $set: { n: -7 } }, { maxTimeMS: 60_000, returnDocument: 'after' });
    expect(found).toEqual({ _id: 'id-0-7', n: -7 });
  });
});
