import { status, type ServiceError } from '@grpc/grpc-js';
import { jsonToStruct, structToJson } from '@session/proto';
import { startEmbeddedDb, type EmbeddedDb } from '@session/testing';
import { SessionRepository } from '../db/session-repository';
import { startTestService, type TestService } from '../testing/test-service';
import { NO_DEADLINE } from './call-context';
import { DeadlineExceededError, SessionRevokedError, VersionConflictError } from './errors';
import { SessionService } from './session-service';

// One embedded database for the file; each describe runs its own service on its own database name.
let db: EmbeddedDb;
beforeAll(async () => {
  db = await startEmbeddedDb();
});
afterAll(async () => db?.stop({ removeData: true }));

describe('concurrent writes to one session', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ db });
  });
  afterAll(async () => t?.close());

  it('lets exactly one of 50 updates with the same expected_version win', async () => {
    const { token, session } = await t.api.createSession({});
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => t.api.updateSessionData({ token, user_data: jsonToStruct({ winner: i }), expected_version: 0 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const r of lost) {
      const err = r.reason as ServiceError;
      expect(err.code).toBe(status.ABORTED);
      expect(err.metadata.get('x-error-code')).toEqual(['version_conflict']);
    }
    const doc = await t.collection.findOne({ _id: session!.session_id });
    expect(doc!.version).toBe(1);
  });

  it('keeps all 50 concurrent merges of different keys and advances the version by 50', async () => {
    const { token, session } = await t.api.createSession({});
    await Promise.all(Array.from({ length: 50 }, (_, i) => t.api.updateSessionData({ token, user_data: jsonToStruct({ [`k${i}`]: i }) })));
    const doc = await t.collection.findOne({ _id: session!.session_id });
    expect(Object.keys(doc!.user_data)).toHaveLength(50);
    expect(doc!.version).toBe(50);
    const validated = await t.api.validateSession({ token, extend: false });
    expect(structToJson(validated.session!.user_data)).toMatchObject({ k0: 0, k49: 49 });
  });

  it('revokes every session of a user while their writes run, and frees every lock afterwards', async () => {
    const tokens = await Promise.all(
      Array.from(
        { length: 5 },
        async () => (await t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: 'busy-user' })).token,
      ),
    );
    const writes = tokens.map((token) => t.api.updateSessionData({ token, user_data: jsonToStruct({ a: 1 }) }).catch(() => 'failed'));
    const revoked = await t.api.revokeUserSessions({ user_id: 'busy-user' });
    await Promise.all(writes);
    expect(revoked.revoked_count).toBe('5');
    expect(await t.collection.countDocuments({ user_id: 'busy-user', revoked_at: null })).toBe(0);
    expect((t.service as unknown as { lock: { size: number } }).lock.size).toBe(0);
  });
});

describe('losing a compare-and-set to another replica', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ db });
  });
  afterAll(async () => t?.close());

  /** A repository that lets "another replica" write right before each of our conditional writes. */
  class RacingRepository extends SessionRepository {
    races = 0;
    constructor(rival: (id: string) => Promise<unknown>) {
      super(t.mongo.db(t.config.mongo.dbName));
      for (const method of ['writeDataIfVersion', 'bindUserIfUnchanged', 'extendIdleExpiry'] as const) {
        const original = this[method].bind(this) as (target: unknown, ...rest: unknown[]) => Promise<unknown>;
        Object.assign(this, {
          // bindUserIfUnchanged takes the record it read, the others the id.
          [method]: async (target: string | { sessionId: string }, ...rest: unknown[]) => {
            if (this.races-- > 0) await rival(typeof target === 'string' ? target : target.sessionId);
            return original(target, ...rest);
          },
        });
      }
    }
  }
  const bumpVersion = (id: string) => t.collection.updateOne({ _id: id }, { $inc: { version: 1 } });
  const revoke = (id: string) => t.collection.updateOne({ _id: id }, { $set: { revoked_at: new Date(0) } });
  const racing = (rival: (id: string) => Promise<unknown>) => {
    const repo = new RacingRepository(rival);
    return { repo, service: new SessionService(repo, t.config.session, t.clock, t.changes) };
  };

  it('retries a merge after a lost race and succeeds on the fresh version', async () => {
    const { repo, service } = racing(bumpVersion);
    const { token } = await service.create({ a: 1 }, NO_DEADLINE);
    repo.races = 2;
    const session = await service.updateData(token, { userData: { b: 2 }, mode: 'merge' }, NO_DEADLINE);
    expect(session.userData).toEqual({ a: 1, b: 2 });
    expect(session.version).toBe(3); // two rival writes and ours
  });

  it('gives up with version_conflict after a bounded number of lost races', async () => {
    const { repo, service } = racing(bumpVersion);
    const { token } = await service.create({}, NO_DEADLINE);
    repo.races = 10;
    await expect(service.updateData(token, { userData: { b: 2 }, mode: 'merge' }, NO_DEADLINE)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(repo.races).toBe(7); // three attempts
  });

  it('does not retry when the caller named an expected version', async () => {
    const { repo, service } = racing(bumpVersion);
    const { token } = await service.create({}, NO_DEADLINE);
    repo.races = 5;
    await expect(service.updateData(token, { userData: {}, mode: 'replace', expectedVersion: 0 }, NO_DEADLINE)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(repo.races).toBe(4); // one attempt
  });

  it('reports the revocation, not a conflict, when the rival revoked the session', async () => {
    const { repo, service } = racing(revoke);
    const { token } = await service.create({}, NO_DEADLINE);
    repo.races = 1;
    await expect(service.updateData(token, { userData: { b: 2 }, mode: 'merge' }, NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
    const other = await service.create({}, NO_DEADLINE);
    repo.races = 1;
    await expect(service.bindUser(other.token, 'u1', NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
  });

  it('answers a validation or touch whose write lost to a rival with the session as it now stands', async () => {
    const { repo, service } = racing(revoke);
    const a = await service.create({}, NO_DEADLINE);
    const b = await service.create({}, NO_DEADLINE);
    t.clock.advance(t.config.session.touchIntervalMs);
    repo.races = 1;
    await expect(service.validate(a.token, true, NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
    repo.races = 1;
    await expect(service.touch(b.token, NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
  });

  it('leaves alone a touch another replica wrote after this one read the session', async () => {
    const halfAMinuteAgo = () => new Date(t.clock.now().getTime() - 30_000);
    const { repo, service } = racing((id) => t.collection.updateOne({ _id: id }, { $set: { last_seen_at: halfAMinuteAgo() } }));
    const { token, session } = await service.create({}, NO_DEADLINE);
    t.clock.advance(t.config.session.touchIntervalMs);
    repo.races = 1;
    const validated = await service.validate(token, true, NO_DEADLINE);
    expect(validated.lastSeenAt).toEqual(halfAMinuteAgo());
    expect((await t.collection.findOne({ _id: session.sessionId }))!.last_seen_at).toEqual(halfAMinuteAgo());
  });

  it('counts only the sessions it revoked itself when another caller revoked one meanwhile', async () => {
    class LateListRepository extends SessionRepository {
      armed = false;
      override async findLiveIdsByUser(userId: string, now: Date): Promise<string[]> {
        const ids = await super.findLiveIdsByUser(userId, now, NO_DEADLINE);
        // Another caller wins the first one between the list and the revocations (binds list too: not armed then).
        if (this.armed) await revoke(ids[0]);
        return ids;
      }
    }
    const repo = new LateListRepository(t.mongo.db(t.config.mongo.dbName));
    const service = new SessionService(repo, t.config.session, t.clock, t.changes);
    for (let i = 0; i < 3; i++) await service.bindUser((await service.create({}, NO_DEADLINE)).token, 'raced-user', NO_DEADLINE);
    repo.armed = true;
    const revoked = await service.revokeAllForUser('raced-user', null, NO_DEADLINE);
    expect(revoked).toHaveLength(2);
    expect(await t.collection.countDocuments({ user_id: 'raced-user', revoked_at: null })).toBe(0);
  });

  it('moves the version on a bind, so a write prepared against the old version conflicts', async () => {
    const { token } = await t.service.create({}, NO_DEADLINE);
    const bound = await t.service.bindUser(token, 'versioned-user', NO_DEADLINE);
    expect(bound.session.version).toBe(1);
    await expect(
      t.service.updateData(bound.token, { userData: { a: 1 }, mode: 'merge', expectedVersion: 0 }, NO_DEADLINE),
    ).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('refuses a bind that lost its race with version_conflict, leaving the old token valid', async () => {
    const { repo, service } = racing(bumpVersion);
    const { token } = await service.create({}, NO_DEADLINE);
    repo.races = 1;
    await expect(service.bindUser(token, 'u1', NO_DEADLINE)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await service.validate(token, false, NO_DEADLINE)).userId).toBeNull();
  });

  it('stops before database work once the caller deadline has passed', async () => {
    const { token } = await t.service.create({}, NO_DEADLINE);
    const gone = { requestId: 'late', deadline: Date.now() - 1 };
    await expect(t.service.validate(token, true, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(t.service.updateData(token, { userData: {}, mode: 'merge' }, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(t.service.revokeAllForUser('nobody', null, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});
