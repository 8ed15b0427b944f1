import { performance } from 'node:perf_hooks';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient, type Document } from 'mongodb';
import { NO_DEADLINE } from '../domain/call-context';
import { NOT_SIGNED_IN, type SessionRecord } from '../domain/session';
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
    expect(byName.user_id_created_at).toMatchObject({ key: { user_id: 1, created_at: -1, _id: -1 } });
    // Asked for sparse (see the commands below); FerretDB 1.x takes the option but does not report it.
    expect(byName.unused_since).toMatchObject({ key: { unused_since: 1 } });
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
    ...NOT_SIGNED_IN,
  });

  const observer = { observeDbOperation: (operation: string, seconds: number) => void observed.push({ operation, seconds }) };

  beforeAll(() => {
    repository = new SessionRepository(client.db(dbName), { observer });
  });
  afterAll(async () => client.db(dbName).dropDatabase());

  it("lists a user's live sessions newest first, without their secret hashes", async () => {
    const t0 = new Date();
    const ids = ['0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b71', '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b72', '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b73'];
    await repository.insert(record(ids[1], 'lister', new Date(t0.getTime() + 2_000)), NO_DEADLINE);
    await repository.insert(record(ids[0], 'lister', new Date(t0.getTime() + 1_000)), NO_DEADLINE);
    await repository.insert(record(ids[2], 'lister', new Date(t0.getTime() + 3_000)), NO_DEADLINE);
    const listed = await repository.findLiveByUser('lister', t0, { limit: 10, withUserData: true }, NO_DEADLINE);
    expect(listed.more).toBe(false);
    expect(listed.sessions.map((s) => s.sessionId)).toEqual([ids[2], ids[1], ids[0]]);
    for (const s of listed.sessions) expect(s).not.toHaveProperty('secretHash');
  });

  it('reads back user_data keys named like Object.prototype members as the values they hold', async () => {
    const id = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b74';
    // Arrays holding objects: under such a key the driver's default would hand those objects back as raw BSON bytes.
    const userData = { valueOf: [{ a: 1 }], toString: ['x', { y: [{ z: 2 }] }], constructor: { a: [true] }, hasOwnProperty: 'no' };
    await repository.insert({ ...record(id, null, new Date()), userData }, NO_DEADLINE);
    expect((await repository.findById(id, NO_DEADLINE))!.userData).toEqual(userData);
  });

  it('reports every operation with its name and duration in seconds', async () => {
    observed.length = 0;
    const started = performance.now();
    await repository.findById('0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b70', NO_DEADLINE);
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
    await expect(failing.findById('0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b70', NO_DEADLINE)).rejects.toThrow();
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
    ...NOT_SIGNED_IN,
  });
  const sessions = {
    live: base(1),
    expired: { ...base(2), expiresAt: at(-1) },
    expiringAtCutoff: { ...base(3), expiresAt: cutoff },
    revokedLongAgo: { ...base(4), revokedAt: at(-1) },
    revokedAtCutoff: { ...base(5), revokedAt: cutoff },
    // Anonymous sessions are inserted unused (unused_since = created_at).
    orphan: { ...base(6), userId: null, lastSeenAt: at(-10_000) },
    orphanCreatedAtCutoff: { ...base(7), userId: null, createdAt: cutoff, lastSeenAt: cutoff },
    anonymousWithData: { ...base(8), userId: null, lastSeenAt: at(-10_000), userData: { a: 1 } },
    anonymousUsed: { ...base(9), userId: null, lastSeenAt: at(-10_000) },
    anonymousRevoked: { ...base(10), userId: null, lastSeenAt: at(-10_000), revokedAt: at(1) },
  };
  const idsOf = (...records: SessionRecord[]) => records.map((r) => r.sessionId).sort();

  // Seeded by the first test, not in a hook: work done in hooks would make every mutant of the
  // repository code it runs "static" for mutation testing, which then reruns every spec for it.
  let seeding: Promise<void> | undefined;
  const insertAll = async () => {
    for (const record of Object.values(sessions)) await repository.insert(record, NO_DEADLINE);
    // A touch well before the cutoff: used once, so no orphan, even though it has not been seen since.
    await repository.extendIdleExpiry(
      sessions.anonymousUsed.sessionId,
      at(-5_000),
      { idleExpiresAt: at(60_000), absoluteExpiresAt: at(120_000), expiresAt: at(60_000) },
      undefined,
      NO_DEADLINE,
    );
  };
  const seed = () => (seeding ??= insertAll());

  beforeAll(() => {
    repository = new SessionRepository(client.db(dbName));
  });
  afterAll(async () => client.db(dbName).dropDatabase());

  it('finds what each rule removes, strictly before the cutoff, up to the limit', async () => {
    await seed();
    expect((await repository.findSweepableIds('expired', cutoff, 100, NO_DEADLINE)).sort()).toEqual(idsOf(sessions.expired));
    expect((await repository.findSweepableIds('revoked', cutoff, 100, NO_DEADLINE)).sort()).toEqual(idsOf(sessions.revokedLongAgo));
    expect((await repository.findSweepableIds('orphan', cutoff, 100, NO_DEADLINE)).sort()).toEqual(
      idsOf(sessions.orphan, sessions.anonymousWithData),
    );
    expect(await repository.findSweepableIds('expired', at(100_000), 2, NO_DEADLINE)).toHaveLength(2);
  });

  it('deletes only those of the given ids that still match the rule', async () => {
    await seed();
    const { live, expired, orphan, revokedLongAgo } = sessions;
    expect(await repository.deleteSweepable('expired', cutoff, idsOf(live, expired, orphan), NO_DEADLINE)).toEqual(idsOf(expired));
    expect(await repository.deleteSweepable('revoked', cutoff, idsOf(live, revokedLongAgo), NO_DEADLINE)).toEqual(idsOf(revokedLongAgo));
    expect(await repository.deleteSweepable('orphan', cutoff, idsOf(orphan), NO_DEADLINE)).toEqual(idsOf(orphan));
    expect(await repository.findById(expired.sessionId, NO_DEADLINE)).toBeNull();
    expect(await repository.findById(live.sessionId, NO_DEADLINE)).not.toBeNull();
    expect(await repository.findById(sessions.anonymousWithData.sessionId, NO_DEADLINE)).not.toBeNull();
  });
});

describe('SessionRepository: what it asks of the server', () => {
  const dbName = uniqueDbName('commands');
  const ID = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8d01';
  let monitored: MongoClient;
  const commands: Document[] = [];
  const sent = (name: string) => commands.filter((c) => name in c);

  beforeAll(async () => {
    // Command monitoring shows the commands the driver sends, as the server receives them.
    monitored = new MongoClient(db.uri, { monitorCommands: true });
    monitored.on('commandStarted', (event) => commands.push(event.command));
    await monitored.connect();
  });
  afterAll(async () => {
    await monitored.db(dbName).dropDatabase();
    await monitored.close();
  });

  it('asks for a TTL index with the grace margin, 3600 s unless configured', async () => {
    commands.length = 0;
    await new SessionRepository(monitored.db(dbName)).ensureIndexes();
    await new SessionRepository(monitored.db(dbName), { ttlGraceSeconds: 600 }).ensureIndexes();
    const ttlRequests = sent('createIndexes')
      .flatMap((c) => c.indexes as Document[])
      .filter((i) => i.expireAfterSeconds !== undefined)
      .map((i) => ({ key: Object.fromEntries(i.key), name: i.name, expireAfterSeconds: i.expireAfterSeconds }));
    expect(ttlRequests).toEqual([
      { key: { expires_at: 1 }, name: 'expires_at', expireAfterSeconds: 3600 },
      { key: { expires_at: 1 }, name: 'expires_at', expireAfterSeconds: 600 },
    ]);
  });

  it('sends maxTimeMS with every command of every method (5 s unless configured; index builds 120 s), and reads no more than it needs', async () => {
    const t0 = new Date();
    const expiry = {
      idleExpiresAt: new Date(t0.getTime() + 60_000),
      absoluteExpiresAt: new Date(t0.getTime() + 120_000),
      expiresAt: new Date(t0.getTime() + 60_000),
    };
    const cursor = { createdAt: t0, sessionId: ID };
    // Handshakes, session ends and the health ping are the driver's and the monitor's, not the repository's work.
    const NOT_OURS = new Set(['hello', 'isMaster', 'ismaster', 'endSessions', 'ping', 'buildInfo', 'getParameter']);

    for (const [maxTimeMs, expected] of [
      [undefined, 5_000],
      [1_234, 1_234],
    ] as const) {
      await monitored.db(dbName).collection(SESSIONS_COLLECTION).deleteMany({});
      commands.length = 0;
      const repository = new SessionRepository(monitored.db(dbName), maxTimeMs === undefined ? {} : { maxTimeMs });
      const stored = {
        sessionId: ID,
        secretHash: 'c'.repeat(64),
        userId: null,
        userData: {},
        version: 0,
        createdAt: t0,
        updatedAt: t0,
        lastSeenAt: t0,
        ...expiry,
        revokedAt: null,
        ...NOT_SIGNED_IN,
      };
      await repository.ensureIndexes();
      await repository.insert(stored, NO_DEADLINE);
      const record = (await repository.findById(ID, NO_DEADLINE))!;
      await repository.findByToken(ID, record.secretHash, NO_DEADLINE);
      await repository.extendIdleExpiry(ID, t0, expiry, t0, NO_DEADLINE);
      await repository.extendDueIdleExpiries([ID], t0, expiry.idleExpiresAt, t0, NO_DEADLINE);
      const written = (await repository.writeDataIfVersion(
        ID,
        record.version,
        { base: record, userData: { n: 1 }, now: t0, expiry },
        NO_DEADLINE,
      ))!;
      await repository.bindUserIfUnchanged(
        written,
        {
          userId: 'cmd-user',
          secretHash: 'd'.repeat(64),
          now: t0,
          expiry,
          claims: {},
          authenticationMethod: 'password',
          device: null,
          rememberMe: true,
        },
        NO_DEADLINE,
      );
      await repository.findLiveByUser('cmd-user', t0, { limit: 5, withUserData: false }, NO_DEADLINE);
      await repository.findLiveByUser('cmd-user', t0, { limit: 5, after: cursor, withUserData: true }, NO_DEADLINE);
      await repository.findLiveIdsByUser('cmd-user', t0, NO_DEADLINE);
      await repository.markRevoked(ID, t0, NO_DEADLINE);
      for (const kind of ['expired', 'revoked', 'orphan'] as const) {
        await repository.findSweepableIds(kind, t0, 10, NO_DEADLINE);
        await repository.deleteSweepable(kind, t0, [ID], NO_DEADLINE);
      }

      const ours = commands.filter((c) => !NOT_OURS.has(Object.keys(c)[0]));
      const names = new Set(ours.map((c) => Object.keys(c)[0]));
      // listIndexes only where the server refused the TTL index (the embedded database does).
      expect([...names].filter((n) => n !== 'listIndexes').sort()).toEqual([
        'createIndexes',
        'delete',
        'find',
        'findAndModify',
        'insert',
        'update',
      ]);
      expect(
        sent('createIndexes')
          .flatMap((c) => c.indexes as Document[])
          .find((i) => i.name === 'unused_since'),
      ).toMatchObject({ sparse: true });
      expect(ours.length).toBeGreaterThanOrEqual(21); // 5 index builds, 1 insert, 10 finds, 3 conditional writes, 1 update, 3 deletes
      for (const command of ours)
        expect({ [Object.keys(command)[0]]: command.maxTimeMS }).toEqual({
          [Object.keys(command)[0]]: 'createIndexes' in command ? 120_000 : expected,
        });
    }
    // From the last round.
    const finds = sent('find');
    const lists = finds.filter((c) => c.filter.user_id === 'cmd-user' && c.projection?.secret_hash === 0);
    expect(lists.map((c) => c.projection)).toEqual([{ secret_hash: 0, user_data: 0 }, { secret_hash: 0 }]);
    expect(lists.map((c) => c.limit)).toEqual([6, 6]); // one more than the page, to know whether another follows
    // Id lists read only ids: the user's live ids, three sweep candidate lists, three survivor checks (nothing was
    // deleted), and which of a batched touch's ids moved (its update rewrote equal values, so it changed fewer than given).
    expect(finds.filter((c) => c.projection?._id === 1 && Object.keys(c.projection).length === 1)).toHaveLength(8);
    expect(finds.filter((c) => c.projection?.absolute_expires_at === 1)).toHaveLength(1); // the batched touch reads no data
    expect(finds.filter((c) => c.filter._id === ID && c.filter.secret_hash === 'c'.repeat(64))).toHaveLength(1); // the token lookup matches the hash in the database
  });

  it('labels each operation for the db_operation_seconds metric', async () => {
    const operations: string[] = [];
    const repository = new SessionRepository(monitored.db(dbName), {
      observer: { observeDbOperation: (operation) => void operations.push(operation) },
    });
    const t0 = new Date();
    const expiry = { idleExpiresAt: t0, absoluteExpiresAt: t0, expiresAt: t0 };
    const id = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8d02';
    await repository.insert(
      {
        sessionId: id,
        secretHash: 'e'.repeat(64),
        userId: null,
        userData: {},
        version: 0,
        createdAt: t0,
        updatedAt: t0,
        lastSeenAt: t0,
        ...expiry,
        revokedAt: null,
        ...NOT_SIGNED_IN,
      },
      NO_DEADLINE,
    );
    const record = (await repository.findById(id, NO_DEADLINE))!;
    await repository.extendIdleExpiry(id, t0, expiry, undefined, NO_DEADLINE);
    await repository.writeDataIfVersion(id, 0, { base: record, userData: {}, now: t0, expiry }, NO_DEADLINE);
    await repository.bindUserIfUnchanged(
      record,
      {
        userId: 'u',
        secretHash: record.secretHash,
        now: t0,
        expiry,
        claims: {},
        authenticationMethod: 'password',
        device: null,
        rememberMe: true,
      },
      NO_DEADLINE,
    );
    await repository.markRevoked(id, t0, NO_DEADLINE);
    await repository.findLiveByUser('u', t0, { limit: 1, withUserData: false }, NO_DEADLINE);
    await repository.findLiveIdsByUser('u', t0, NO_DEADLINE);
    for (const kind of ['expired', 'revoked', 'orphan'] as const) {
      await repository.findSweepableIds(kind, t0, 1, NO_DEADLINE);
      await repository.deleteSweepable(kind, t0, [], NO_DEADLINE);
    }
    expect(operations).toEqual([
      'insert',
      'find_by_id',
      'extend_idle_expiry',
      'write_data',
      'bind_user',
      'mark_revoked',
      'find_live_by_user',
      'find_live_ids_by_user',
      'find_sweepable_expired',
      'delete_sweepable_expired',
      'find_sweepable_revoked',
      'delete_sweepable_revoked',
      'find_sweepable_orphan',
      'delete_sweepable_orphan',
    ]);
  });

  it('pings the database, and fails the ping when it cannot reach it', async () => {
    commands.length = 0;
    await new SessionRepository(monitored.db(dbName)).ping();
    expect(sent('ping')).toHaveLength(1);
    const closed = new MongoClient(db.uri, { serverSelectionTimeoutMS: 200 });
    await closed.close();
    await expect(new SessionRepository(closed.db(dbName)).ping()).rejects.toThrow();
  });
});
