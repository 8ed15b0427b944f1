import { MongoNetworkError, MongoServerError, type Db, type Document } from 'mongodb';
import { SessionRepository } from './session-repository';

// The embedded database (FerretDB 1.x) refuses every TTL index, so the integration spec only ever
// sees the refusal. These cases stand in for a server that accepts TTL, or keeps its own expiry index.

/** A collection whose TTL index request ends as the test says, recording each index it was asked for. */
function fakeDb(ttlRequest: () => Promise<string>, existing: Document[] = []) {
  const created: { key: Document; options: Document }[] = [];
  let listed = 0;
  const collection = {
    createIndex: (key: Document, options: Document) => {
      created.push({ key, options });
      return options.expireAfterSeconds === undefined ? Promise.resolve(options.name) : ttlRequest();
    },
    listIndexes: () => {
      listed++;
      return { toArray: async () => existing };
    },
  };
  const repository = new SessionRepository({ collection: () => collection } as unknown as Db, { ttlGraceSeconds: 600 });
  return { repository, created, listed: () => listed };
}

const refusal = (message: string, code: number) => () => Promise.reject(new MongoServerError({ message, code }));
const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };

describe('SessionRepository.ensureIndexes against servers the embedded database does not imitate', () => {
  it('reports a TTL index the server accepted, without looking further', async () => {
    const { repository, created, listed } = fakeDb(async () => 'expires_at');
    await expect(repository.ensureIndexes()).resolves.toEqual({ ttl: true });
    expect(created.map((c) => c.options.name)).toEqual([
      'session_id_unique',
      'user_id',
      'user_id_created_at',
      'user_id_last_seen_at',
      'unused_since',
      'expires_at',
    ]);
    expect(listed()).toBe(0);
  });

  it('keeps an expiry index with a TTL that exists under another name, and reports TTL as working', async () => {
    const existing = [ID_INDEX, { v: 2, key: { expires_at: 1 }, name: 'custom_expiry', expireAfterSeconds: 60 }];
    const { repository, created } = fakeDb(refusal('An equivalent index already exists with a different name', 85), existing);
    await expect(repository.ensureIndexes()).resolves.toEqual({
      ttl: true,
      ttlError: 'An equivalent index already exists with a different name',
    });
    expect(created).toHaveLength(6); // no plain expiry index beside the existing one
  });

  it('falls back to a plain expiry index when TTL is refused and none exists', async () => {
    const { repository, created } = fakeDb(refusal('unsupported index option expireAfterSeconds', 2), [ID_INDEX]);
    await expect(repository.ensureIndexes()).resolves.toEqual({ ttl: false, ttlError: 'unsupported index option expireAfterSeconds' });
    expect(created.at(-1)).toEqual({ key: { expires_at: 1 }, options: { name: 'expires_at', maxTimeMS: 120_000 } });
  });

  it('fails on a client-side error rather than taking it for a refusal', async () => {
    const down = new MongoNetworkError('connection reset');
    const { repository, created, listed } = fakeDb(() => Promise.reject(down), [ID_INDEX]);
    await expect(repository.ensureIndexes()).rejects.toBe(down);
    expect(listed()).toBe(0);
    expect(created).toHaveLength(6);
  });
});
