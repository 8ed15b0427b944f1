import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { ServiceUnavailableError } from '../domain/errors';
import { classifyDriverError } from './driver-errors';

type Doc = { _id: string; n: number };

// The shape classifyDriverError relies on comes from the database itself: a findAndModify that the
// embedded database cuts at its maxTimeMS. On MongoDB this is MaxTimeMSExpired (50), already transient.
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

  it('fails with an error the service classifies as unavailable (503), not internal (500)', async () => {
    // No document matches, so the whole collection is scanned: far longer than 1 ms.
    const thrown = await collection.findOneAndUpdate({ n: { $lt: 0 } }, { $set: { n: 0 } }, { maxTimeMS: 1 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(thrown).toBeInstanceOf(MongoServerError);
    // Code 1 InternalError, "... interrupted (9)" or "... context deadline exceeded" depending on where the cut lands.
    expect(thrown).toMatchObject({ code: 1 });
    expect(classifyDriverError(thrown)).toBeInstanceOf(ServiceUnavailableError);
  });
});
