import { MongoClient } from 'mongodb';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from './embedded-db';

describe('embedded database', () => {
  let db: EmbeddedDb;
  afterAll(async () => db?.stop({ removeData: true }));

  it('speaks the MongoDB wire protocol and keeps data across a restart', async () => {
    db = await startEmbeddedDb();
    expect(db.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const name = uniqueDbName();
    let client = await MongoClient.connect(db.uri);
    await client
      .db(name)
      .collection('c')
      .insertOne({ _id: 'a' as never, v: 1 });
    await client.close();

    await db.stop();
    await db.restart();

    client = await MongoClient.connect(db.uri);
    expect(
      await client
        .db(name)
        .collection('c')
        .findOne({ _id: 'a' as never }),
    ).toEqual({ _id: 'a', v: 1 });
    await client.db(name).dropDatabase();
    await client.close();
  });
});
