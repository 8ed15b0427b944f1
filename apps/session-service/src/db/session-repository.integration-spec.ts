import { performance } from 'node:perf_hooks';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient } from 'mongodb';
import type { SessionRecord } from '../domain/session';
import { SESSIONS_COLLECTION, SessionRepository } from './session-repository';

// One embedded database for the file; each describe works in its own database name.
let db: EmbeddedDb;
let client: MongoClient;
beforeAll(async () => {
  db = await startEmbeddedDb();
  client = await MongoClient.connect(db.uri);
});
afterAll(async () => {
  await client.close();
  await db.stop({ removeData: true });
});

describe('SessionRepository.ensureIndexes', () => {
  const dbName = uniqueDbName('indexes');
  afterAll(async () => client.db(dbName).dropDatabase());

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

  it('keeps an expiry index that already exists under another name', async () => {
    const name = uniqueDbName('indexes_named');
    const collection = client.db(name).collection(SESSIONS_COLLECTION);
    await collection.createIndex({ expires_at: 1 }, { name: 'custom_expiry' });
    const report = await new SessionRepository(client.db(name)).ensureIndexes();
    const expiryIndexes = (await collection.listIndexes().toArray()).filter((i) => i.key.expires_at === 1);
    expect(expiryIndexes.map((i) => i.name)).toEqual(['custom_expiry']);
    expect(report.ttl).toBe(expiryIndexes[0].expireAfterSeconds !== undefined);
    await client.db(name).dropDatabase();
  });

  it('reports a database it cannot reach by throwing', async () => {
    const closed = new MongoClient(db.uri, { serverSelectionTimeoutMS: 200 });
    await closed.close();
    await expect(new SessionRepository(closed.db(dbName)).ensureIndexes()).rejects.toThrow();
  });
});

describe('SessionRepository reads and measurements', () => {
  const dbName = uniqueDbName('repo');
  const observed: { operation: string; seconds: number }[] = [];
  let repository: SessionRepository;

  const record = (sessionId: string, userId: string | null, createdAt: Date): SessionRecord => ({
    sessionId,
    secretHash: 'a'.repeat(64),
    userId,
    userData: {},
    version: 0,
    createdAt,
    updatedAt: createdAt,
    lastSeenAt: createdAt,
    idleExpiresAt: new Date(createdAt.getTime() + 3_600_000),
    absoluteExpiresAt: new Date(createdAt.getTime() + 7_200_000),
    expiresAt: new Date(createdAt.getTime() + 3_600_000),
    revokedAt: null,
  });

  const observer = { observeDbOperation: (operation: string, seconds: number) => void observed.push({ operation, seconds }) };

  beforeAll(() => {
    repository = new SessionRepository(client.db(dbName), { observer });
  });
  afterAll(async () => client.db(dbName).dropDatabase());

  it("lists a user's live sessions newest first, without their secret hashes", async () => {
    const t0 = new Date();
    const ids = ['0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b71', '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b72', '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b73'];
    await repository.insert(record(ids[1], 'lister', new Date(t0.getTime() + 2_000)));
    await repository.insert(record(ids[0], 'lister', new Date(t0.getTime() + 1_000)));
    await repository.insert(record(ids[2], 'lister', new Date(t0.getTime() + 3_000)));
    const listed = await repository.findLiveByUser('lister', t0);
    expect(listed.map((s) => s.sessionId)).toEqual([ids[2], ids[1], ids[0]]);
    for (const s of listed) expect(s).not.toHaveProperty('secretHash');
  });

  it('reports every operation with its name and duration in seconds', async () => {
    observed.length = 0;
    const started = performance.now();
    await repository.findById('0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b70');
    const elapsedSeconds = (performance.now() - started) / 1_000;
    expect(observed).toHaveLength(1);
    expect(observed[0].operation).toBe('find_by_id');
    expect(observed[0].seconds).toBeGreaterThanOrEqual(0);
    expect(observed[0].seconds).toBeLessThanOrEqual(elapsedSeconds);
  });

  it('reports a failed operation too', async () => {
    observed.length = 0;
    const closed = new MongoClient(db.uri, { serverSelectionTimeoutMS: 200 });
    await closed.close();
    const failing = new SessionRepository(closed.db(dbName), { observer });
    await expect(failing.findById('0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b70')).rejects.toThrow();
    expect(observed.map((o) => o.operation)).toEqual(['find_by_id']);
  });
});

describe('SessionRepository sweeping queries', () => {
  const dbName = uniqueDbName('sweep');
  let repository: SessionRepository;
  const cutoff = new Date('2030-06-01T00:00:00Z');
  const at = (offsetMs: number) => new Date(cutoff.getTime() + offsetMs);
  // Live by default: anonymous, untouched, no data, but seen and expiring after the cutoff.
  const base = (n: number): SessionRecord => ({
    sessionId: `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8c${String(n).padStart(2, '0')}`,
    secretHash: 'b'.repeat(64),
    userId: 'someone',
    userData: {},
    version: 0,
    createdAt: at(-10_000),
    updatedAt: at(-10_000),
    lastSeenAt: at(1_000),
    idleExpiresAt: at(60_000),
    absoluteExpiresAt: at(120_000),
    expiresAt: at(60_000),
    revokedAt: null,
  });
  const sessions = {
    live: base(1),
    expired: { ...base(2), expiresAt: at(-1) },
    expiringAtCutoff: { ...base(3), expiresAt: cutoff },
    revokedLongAgo: { ...base(4), revokedAt: at(-1) },
    revokedAtCutoff: { ...base(5), revokedAt: cutoff },
    orphan: { ...base(6), userId: null, lastSeenAt: at(-1) },
    orphanSeenAtCutoff: { ...base(7), userId: null, lastSeenAt: cutoff },
    anonymousWithData: { ...base(8), userId: null, lastSeenAt: at(-1), userData: { a: 1 } },
    anonymousWritten: { ...base(9), userId: null, lastSeenAt: at(-1), version: 1 },
    anonymousRevoked: { ...base(10), userId: null, lastSeenAt: at(-1), revokedAt: at(1) },
  };
  const idsOf = (...records: SessionRecord[]) => records.map((r) => r.sessionId).sort();

  beforeAll(async () => {
    repository = new SessionRepository(client.db(dbName));
    for (const record of Object.values(sessions)) await repository.insert(record);
  });
  afterAll(async () => client.db(dbName).dropDatabase());

  it('finds what each rule removes, strictly before the cutoff, up to the limit', async () => {
    expect((await repository.findSweepableIds('expired', cutoff, 100)).sort()).toEqual(idsOf(sessions.expired));
    expect((await repository.findSweepableIds('revoked', cutoff, 100)).sort()).toEqual(idsOf(sessions.revokedLongAgo));
    expect((await repository.findSweepableIds('orphan', cutoff, 100)).sort()).toEqual(idsOf(sessions.orphan));
    expect(await repository.findSweepableIds('expired', at(100_000), 2)).toHaveLength(2);
  });

  it('deletes only those of the given ids that still match the rule', async () => {
    const { live, expired, orphan, revokedLongAgo } = sessions;
    expect(await repository.deleteSweepable('expired', cutoff, idsOf(live, expired, orphan))).toBe(1);
    expect(await repository.deleteSweepable('revoked', cutoff, idsOf(live, revokedLongAgo))).toBe(1);
    expect(await repository.deleteSweepable('orphan', cutoff, idsOf(orphan))).toBe(1);
    expect(await repository.findById(expired.sessionId)).toBeNull();
    expect(await repository.findById(live.sessionId)).not.toBeNull();
    expect(await repository.findById(sessions.anonymousWithData.sessionId)).not.toBeNull();
  });
});
