import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { NO_DEADLINE } from '../domain/call-context';
import { initialExpiry } from '../domain/expiry';
import { NOT_SIGNED_IN, type SessionRecord } from '../domain/session';
import type { SessionDocument } from './session-document';
import { SESSIONS_COLLECTION, SessionRepository } from './session-repository';

// Each spec works on its own sessions (ids numbered per spec) in one database; nothing is seeded in
// hooks, so each mutant of the repository is rerun only against the specs that reach it.
let db: EmbeddedDb;
let client: MongoClient;
let repository: SessionRepository;
let collection: Collection<SessionDocument>;
beforeAll(async () => {
  db = await startEmbeddedDb();
  client = await MongoClient.connect(db.uri);
  const database = client.db(uniqueDbName('writes'));
  repository = new SessionRepository(database);
  collection = database.collection<SessionDocument>(SESSIONS_COLLECTION);
});
afterAll(async () => {
  await client.close();
  await db.stop({ removeData: true });
});

const T0 = new Date('2031-03-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const POLICY = { idleTtlMs: 60_000, absoluteTtlMs: 600_000, touchIntervalMs: 10_000 };
const id = (n: number) => `7d0c1a52-5e1f-4b7e-8a1c-${String(n).padStart(12, '0')}`;

/** An anonymous session created at T0 (idle expiry T0+60 s, absolute T0+600 s). */
function session(n: number, changes: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId: id(n),
    secretHash: `hash-${n}`,
    userId: null,
    userData: { n },
    version: 0,
    createdAt: T0,
    updatedAt: T0,
    lastSeenAt: T0,
    ...initialExpiry(T0, POLICY),
    revokedAt: null,
    ...NOT_SIGNED_IN,
    ...changes,
  };
}

async function inserted(...records: SessionRecord[]): Promise<void> {
  for (const record of records) await repository.insert(record, NO_DEADLINE);
}

const raw = (n: number) => collection.findOne({ _id: id(n) });
const expiry = (idleMs: number) => ({ idleExpiresAt: at(idleMs), absoluteExpiresAt: at(600_000), expiresAt: at(idleMs) });

describe('SessionRepository: the unused mark of anonymous sessions (orphan rule)', () => {
  it('marks a new anonymous session unused since its creation, a signed-in one not', async () => {
    await inserted(session(101), session(102, { userId: 'u' }));
    expect((await raw(101))!.unused_since).toEqual(T0);
    expect(await raw(102)).not.toHaveProperty('unused_since');
  });

  it('drops the mark on a touch and on a bind, the uses of a session', async () => {
    await inserted(session(103), session(104));
    await repository.extendIdleExpiry(id(103), at(1_000), expiry(61_000), undefined, NO_DEADLINE);
    expect(await raw(103)).not.toHaveProperty('unused_since');
    const base = (await repository.findById(id(104), NO_DEADLINE))!;
    await repository.bindUserIfUnchanged(base, binding(), NO_DEADLINE);
    expect(await raw(104)).not.toHaveProperty('unused_since');
  });
});

describe('SessionRepository.extendIdleExpiry', () => {
  it('writes last seen and both expiries, and answers the session as written', async () => {
    await inserted(session(201));
    const touched = await repository.extendIdleExpiry(id(201), at(5_000), expiry(65_000), undefined, NO_DEADLINE);
    expect(touched).toMatchObject({
      sessionId: id(201),
      lastSeenAt: at(5_000),
      idleExpiresAt: at(65_000),
      expiresAt: at(65_000),
      userData: { n: 201 },
    });
    expect(await repository.findById(id(201), NO_DEADLINE)).toEqual(touched);
  });

  it('touches only a session last seen at or before the given time', async () => {
    await inserted(session(202), session(203));
    expect(await repository.extendIdleExpiry(id(202), at(5_000), expiry(65_000), T0, NO_DEADLINE)).not.toBeNull();
    expect(await repository.extendIdleExpiry(id(203), at(5_000), expiry(65_000), at(-1), NO_DEADLINE)).toBeNull();
    expect((await raw(203))!.last_seen_at).toEqual(T0);
  });

  it('leaves revoked, expired and unknown sessions alone', async () => {
    await inserted(session(204, { revokedAt: T0 }), session(205));
    expect(await repository.extendIdleExpiry(id(204), at(1), expiry(61_000), undefined, NO_DEADLINE)).toBeNull();
    // expires_at is T0+60 s: at that instant the session has expired.
    expect(await repository.extendIdleExpiry(id(205), at(60_000), expiry(120_000), undefined, NO_DEADLINE)).toBeNull();
    expect(await repository.extendIdleExpiry(id(299), at(1), expiry(61_000), undefined, NO_DEADLINE)).toBeNull();
    expect((await raw(205))!.last_seen_at).toEqual(T0);
  });
});

describe('SessionRepository.extendDueIdleExpiries (TouchSessions)', () => {
  const now = at(20_000);
  const threshold = at(10_000);

  it('moves the due live sessions, caps expires_at at each one’s absolute expiry, and names exactly those moved', async () => {
    await inserted(
      session(301, { userId: 'u301' }),
      // Its absolute expiry comes before the new idle one: expires_at stops there.
      session(302, { absoluteExpiresAt: at(50_000), expiresAt: at(50_000) }),
      // Absolute expiry exactly at the new idle one.
      session(303, { absoluteExpiresAt: at(80_000) }),
      session(304, { lastSeenAt: at(10_001) }), // seen after the threshold: not due
      session(305, { revokedAt: T0 }),
      session(306, { expiresAt: now }), // expired at `now`
    );
    const moved = await repository.extendDueIdleExpiries(
      [301, 302, 303, 304, 305, 306, 399].map(id),
      now,
      at(80_000),
      threshold,
      NO_DEADLINE,
    );
    expect(moved.sort((a, b) => a.sessionId.localeCompare(b.sessionId))).toEqual([
      { sessionId: id(301), userId: 'u301', idleExpiresAt: at(80_000) },
      { sessionId: id(302), userId: null, idleExpiresAt: at(80_000) },
      { sessionId: id(303), userId: null, idleExpiresAt: at(80_000) },
    ]);
    expect(await raw(301)).toMatchObject({ last_seen_at: now, idle_expires_at: at(80_000), expires_at: at(80_000) });
    expect(await raw(302)).toMatchObject({ last_seen_at: now, idle_expires_at: at(80_000), expires_at: at(50_000) });
    expect(await raw(303)).toMatchObject({ expires_at: at(80_000) });
    for (const n of [301, 302, 303]) expect(await raw(n)).not.toHaveProperty('unused_since');
    for (const n of [304, 305, 306]) expect(await raw(n)).toMatchObject({ idle_expires_at: at(60_000), unused_since: T0 });
  });

  it('treats a session last seen exactly at the threshold as due', async () => {
    await inserted(session(307, { lastSeenAt: threshold }));
    expect(await repository.extendDueIdleExpiries([id(307)], now, at(80_000), threshold, NO_DEADLINE)).toHaveLength(1);
  });

  it('names only the sessions it moved itself when another writer got to some first', async () => {
    await inserted(session(308), session(309), session(310, { absoluteExpiresAt: at(50_000) }));
    // Another replica writes between this call's find and its updates: it revokes one and touches another.
    const racing = new SessionRepository(
      withBeforeUpdates(client.db(collection.dbName), async () => {
        await collection.updateOne({ _id: id(308) }, { $set: { revoked_at: now } });
        await collection.updateOne({ _id: id(310) }, { $set: { last_seen_at: at(19_000) } });
      }),
    );
    expect(await racing.extendDueIdleExpiries([308, 309, 310].map(id), now, at(80_000), threshold, NO_DEADLINE)).toEqual([
      { sessionId: id(309), userId: null, idleExpiresAt: at(80_000) },
    ]);
    expect(await raw(308)).toMatchObject({ last_seen_at: T0, revoked_at: now });
    expect((await raw(310))!.last_seen_at).toEqual(at(19_000));
  });
});

describe('SessionRepository.extendDueIdleExpiries: the store calls it makes', () => {
  const now = at(20_000);
  const operations: string[] = [];
  const counted = () =>
    new SessionRepository(client.db(collection.dbName), { observer: { observeDbOperation: (op) => void operations.push(op) } });

  it('sends one find and one updateMany for sessions it may move together, one update each for the capped, and nothing more', async () => {
    await inserted(session(311), session(312), session(313, { absoluteExpiresAt: at(50_000) }));
    operations.length = 0;
    expect(await counted().extendDueIdleExpiries([311, 312].map(id), now, at(80_000), at(10_000), NO_DEADLINE)).toHaveLength(2);
    expect(operations).toEqual(['find_due_touches', 'touch_many']);
    operations.length = 0;
    expect(await counted().extendDueIdleExpiries([id(313)], now, at(80_000), at(10_000), NO_DEADLINE)).toHaveLength(1);
    expect(operations).toEqual(['find_due_touches', 'touch_capped']);
    operations.length = 0;
    expect(await counted().extendDueIdleExpiries([id(398)], now, at(80_000), at(10_000), NO_DEADLINE)).toEqual([]);
    expect(operations).toEqual(['find_due_touches']);
  });
});

/** The database, with `before` run (once) ahead of the first update the repository sends: a rival's write landing in between. */
function withBeforeUpdates(database: Db, before: () => Promise<void>): Db {
  let pending: Promise<void> | undefined;
  const once = () => (pending ??= before());
  const real = database.collection<SessionDocument>(SESSIONS_COLLECTION);
  const wrapped = Object.create(real) as Collection<SessionDocument>;
  wrapped.updateMany = (async (...args: Parameters<typeof real.updateMany>) => {
    await once();
    return real.updateMany(...args);
  }) as typeof real.updateMany;
  wrapped.updateOne = (async (...args: Parameters<typeof real.updateOne>) => {
    await once();
    return real.updateOne(...args);
  }) as typeof real.updateOne;
  const db2 = Object.create(database) as Db;
  db2.collection = (() => wrapped) as Db['collection'];
  return db2;
}

function binding(changes: Partial<Parameters<SessionRepository['bindUserIfUnchanged']>[1]> = {}) {
  return {
    userId: 'binder',
    secretHash: 'new-hash',
    now: at(3_000),
    expiry: expiry(63_000),
    claims: { role: 'r' },
    authenticationMethod: 'otp',
    device: null,
    rememberMe: true,
    ...changes,
  };
}

describe('SessionRepository.bindUserIfUnchanged and writeClaimsIfVersion', () => {
  it('writes every field of the sign-in, keeping the device when none is given', async () => {
    const device = { userAgent: 'UA', clientAddress: '203.0.113.0' };
    await inserted(session(401, { device }), session(402));
    const bound = await repository.bindUserIfUnchanged((await repository.findById(id(401), NO_DEADLINE))!, binding(), NO_DEADLINE);
    const expected = {
      sessionId: id(401),
      secretHash: 'new-hash',
      userId: 'binder',
      userData: { n: 401 },
      version: 1,
      createdAt: T0,
      updatedAt: at(3_000),
      lastSeenAt: at(3_000),
      idleExpiresAt: at(63_000),
      absoluteExpiresAt: at(600_000),
      expiresAt: at(63_000),
      revokedAt: null,
      claims: { role: 'r' },
      authenticatedAt: at(3_000),
      authenticationMethod: 'otp',
      device,
      rememberMe: true,
    };
    expect(bound).toEqual(expected);
    expect(await repository.findById(id(401), NO_DEADLINE)).toEqual(expected);
    expect(await raw(401)).toMatchObject({ device: { user_agent: 'UA', client_address: '203.0.113.0' }, remember_me: true });
    const other = { userAgent: 'UA2', clientAddress: '' };
    const rebound = await repository.bindUserIfUnchanged(
      (await repository.findById(id(402), NO_DEADLINE))!,
      binding({ device: other }),
      NO_DEADLINE,
    );
    expect(rebound!.device).toEqual(other);
  });

  it('binds nothing when the version, the secret hash or the revocation moved since the read', async () => {
    await inserted(session(403), session(404), session(405));
    const base = (await repository.findById(id(403), NO_DEADLINE))!;
    expect(await repository.bindUserIfUnchanged({ ...base, version: 1 }, binding(), NO_DEADLINE)).toBeNull();
    expect(await repository.bindUserIfUnchanged({ ...base, secretHash: 'old' }, binding(), NO_DEADLINE)).toBeNull();
    await repository.markRevoked(id(404), at(1), NO_DEADLINE);
    expect(await repository.bindUserIfUnchanged(session(404), binding(), NO_DEADLINE)).toBeNull();
    expect(await repository.bindUserIfUnchanged(session(498), binding(), NO_DEADLINE)).toBeNull();
    expect(await raw(403)).toMatchObject({ user_id: null, version: 0, secret_hash: 'hash-403' });
    expect(await repository.findByToken(id(403), 'new-hash', NO_DEADLINE)).toBeNull();
  });

  it('replaces the claims and moves version and updated_at, nothing else; only on the read version of a live session', async () => {
    await inserted(session(406, { userId: 'c', claims: { old: true } }), session(407, { revokedAt: T0 }));
    const base = (await repository.findById(id(406), NO_DEADLINE))!;
    const written = await repository.writeClaimsIfVersion({ base, claims: { fresh: 1 }, now: at(7_000) }, NO_DEADLINE);
    expect(written).toEqual({ ...base, claims: { fresh: 1 }, version: 1, updatedAt: at(7_000) });
    expect(await repository.writeClaimsIfVersion({ base, claims: { late: 1 }, now: at(8_000) }, NO_DEADLINE)).toBeNull();
    expect(await repository.writeClaimsIfVersion({ base: session(407), claims: {}, now: at(8_000) }, NO_DEADLINE)).toBeNull();
    expect((await raw(406))!.claims).toEqual({ fresh: 1 });
  });
});

describe('SessionRepository.writeDataIfVersion', () => {
  it('replaces the data and moves version, updated, last seen and expiry together; only on the read version of a live session', async () => {
    await inserted(session(411, { userId: 'w', claims: { keep: 1 } }), session(412, { revokedAt: T0 }));
    const base = (await repository.findById(id(411), NO_DEADLINE))!;
    const change = { base, userData: { b: 2 }, now: at(4_000), expiry: expiry(64_000) };
    const written = await repository.writeDataIfVersion(id(411), 0, change, NO_DEADLINE);
    expect(written).toEqual({
      ...base,
      userData: { b: 2 },
      version: 1,
      updatedAt: at(4_000),
      lastSeenAt: at(4_000),
      idleExpiresAt: at(64_000),
      expiresAt: at(64_000),
    });
    expect(await repository.findById(id(411), NO_DEADLINE)).toEqual(written);
    expect(await repository.writeDataIfVersion(id(411), 0, change, NO_DEADLINE)).toBeNull();
    expect(await repository.writeDataIfVersion(id(412), 0, { ...change, base: session(412) }, NO_DEADLINE)).toBeNull();
    expect((await raw(412))!.user_data).toEqual({ n: 412 });
  });
});

describe('SessionRepository: lookups and revocation', () => {
  it('finds a session by token only when id and secret hash both match', async () => {
    await inserted(session(501));
    expect((await repository.findByToken(id(501), 'hash-501', NO_DEADLINE))!.sessionId).toBe(id(501));
    expect(await repository.findByToken(id(501), 'hash-502', NO_DEADLINE)).toBeNull();
    expect(await repository.findByToken(id(502), 'hash-501', NO_DEADLINE)).toBeNull();
  });

  it('revokes once, recording the time as revoked and updated', async () => {
    await inserted(session(503));
    expect(await repository.markRevoked(id(503), at(9_000), NO_DEADLINE)).toBe(true);
    expect(await repository.markRevoked(id(503), at(9_500), NO_DEADLINE)).toBe(false);
    expect(await repository.markRevoked(id(599), at(9_500), NO_DEADLINE)).toBe(false);
    expect(await raw(503)).toMatchObject({ revoked_at: at(9_000), updated_at: at(9_000) });
  });

  it('reads a document stored before sign-in existed with the defaults of a session nobody signed in to', async () => {
    await inserted(session(505));
    const { claims, authenticated_at, authentication_method, device, remember_me, ...old } = (await raw(505))!;
    void [claims, authenticated_at, authentication_method, device, remember_me];
    await collection.insertOne({ ...old, _id: id(504), session_id: id(504) });
    expect(await repository.findById(id(504), NO_DEADLINE)).toMatchObject({ ...NOT_SIGNED_IN, sessionId: id(504), userData: { n: 505 } });
  });
});

describe('SessionRepository: live sessions of a user', () => {
  it('pages newest first with the id breaking ties, strictly after the cursor, telling whether more follow', async () => {
    // 603 and 604 were created in the same millisecond.
    await inserted(
      session(601, { userId: 'p', createdAt: at(1) }),
      session(602, { userId: 'p', createdAt: at(2) }),
      session(603, { userId: 'p', createdAt: at(3) }),
      session(604, { userId: 'p', createdAt: at(3) }),
      session(605, { userId: 'p', createdAt: at(4), revokedAt: T0 }),
      session(606, { userId: 'p', createdAt: at(4), expiresAt: at(5_000) }),
      session(607, { userId: 'q', createdAt: at(4) }),
    );
    const ids = async (after?: { createdAt: Date; sessionId: string }, limit = 2) =>
      repository.findLiveByUser('p', at(5_000), { limit, after, withUserData: false }, NO_DEADLINE);
    const first = await ids();
    expect(first.sessions.map((s) => s.sessionId)).toEqual([id(604), id(603)]);
    expect(first.more).toBe(true);
    expect(first.sessions[0].userData).toEqual({});
    const second = await ids({ createdAt: at(3), sessionId: id(604) });
    expect(second.sessions.map((s) => s.sessionId)).toEqual([id(603), id(602)]);
    expect(second.more).toBe(true);
    const last = await ids({ createdAt: at(2), sessionId: id(602) });
    expect(last).toMatchObject({ sessions: [{ sessionId: id(601) }], more: false });
    expect((await ids(undefined, 4)).more).toBe(false);
  });

  it('lists the live ids most recently seen first, the id breaking ties', async () => {
    await inserted(
      session(611, { userId: 'l', lastSeenAt: at(1) }),
      session(612, { userId: 'l', lastSeenAt: at(3) }),
      session(613, { userId: 'l', lastSeenAt: at(3) }),
      session(614, { userId: 'l', lastSeenAt: at(2) }),
      session(615, { userId: 'l', lastSeenAt: at(9), revokedAt: T0 }),
      session(616, { userId: 'l', lastSeenAt: at(9), expiresAt: at(5_000) }),
    );
    expect(await repository.findLiveIdsByUser('l', at(5_000), NO_DEADLINE)).toEqual([id(613), id(612), id(614), id(611)]);
  });
});
