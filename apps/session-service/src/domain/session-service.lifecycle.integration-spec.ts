import { status } from '@grpc/grpc-js';
import { jsonToStruct, timestampToDate } from '@session/proto';
import { SessionRepository } from '../db/session-repository';
import { failureOf, startTestService, type TestService } from '../testing/test-service';
import { NO_DEADLINE } from './call-context';

const MINUTE = 60_000;

async function dbOperationCount(t: TestService, operation: string): Promise<number> {
  const metric = await t.metrics.registry.getSingleMetric('db_operation_seconds')!.get();
  const sample = metric.values.find(
    (v) => (v as { metricName?: string }).metricName === 'db_operation_seconds_count' && v.labels.operation === operation,
  );
  return sample?.value ?? 0;
}

describe('expiry, touch and revocation against the database', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ env: { SESSION_IDLE_TTL: '10m', SESSION_ABSOLUTE_TTL: '30m', SESSION_TOUCH_INTERVAL: '60s' } });
  });
  afterAll(async () => t?.close());

  const lastSeen = async (id: string) => (await t.collection.findOne({ _id: id }))!.last_seen_at.getTime();

  it('expires after the idle timeout', async () => {
    const { token } = await t.api.createSession({});
    t.clock.advance(10 * MINUTE - 1);
    await t.api.validateSession({ token, extend: false });
    t.clock.advance(1);
    expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'session_expired' });
    expect(await failureOf(t.api.touchSession({ token }))).toMatchObject({ errorCode: 'session_expired' });
    expect(await failureOf(t.api.getSession({ session_id: token.split('.')[0] }))).toMatchObject({ code: status.NOT_FOUND });
    expect(await t.api.revokeSession({ token })).toEqual({ revoked: false });
  });

  it('reports a revocation of an ended session as not done, naming the session', async () => {
    const expired = await t.service.create({}, NO_DEADLINE);
    t.clock.advance(10 * MINUTE);
    expect(await t.service.revokeByToken(expired.token, NO_DEADLINE)).toEqual({ sessionId: expired.session.sessionId, revoked: false });
    const revoked = await t.service.create({}, NO_DEADLINE);
    await t.service.revokeByToken(revoked.token, NO_DEADLINE);
    expect(await t.service.revokeById(revoked.session.sessionId, null, NO_DEADLINE)).toEqual({
      sessionId: revoked.session.sessionId,
      revoked: false,
    });
  });

  it('expires at the absolute timeout however active the session is', async () => {
    const { token, session } = await t.api.createSession({});
    for (let elapsed = 0; elapsed < 27 * MINUTE; elapsed += 9 * MINUTE) {
      t.clock.advance(9 * MINUTE);
      const res = await t.api.validateSession({ token });
      expect(timestampToDate(res.session!.absolute_expires_at)).toEqual(timestampToDate(session!.absolute_expires_at));
    }
    const doc = await t.collection.findOne({ _id: session!.session_id });
    expect(doc!.expires_at).toEqual(doc!.absolute_expires_at); // min(idle, absolute) kept in step
    t.clock.advance(3 * MINUTE);
    expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'session_expired' });
  });

  it('validates without extend without writing', async () => {
    const { token, session } = await t.api.createSession({});
    const before = await lastSeen(session!.session_id);
    t.clock.advance(5 * MINUTE);
    await t.api.validateSession({ token, extend: false });
    expect(await lastSeen(session!.session_id)).toBe(before);
  });

  it('extends on validate (extend unset means true) at most once per touch interval', async () => {
    const { token, session } = await t.api.createSession({});
    const id = session!.session_id;
    t.clock.advance(30_000);
    await t.api.validateSession({ token });
    expect(await lastSeen(id)).toBe(timestampToDate(session!.last_seen_at)!.getTime()); // within the interval: no write
    t.clock.advance(30_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => t.api.validateSession({ token })));
    const now = t.clock.now().getTime();
    expect(await lastSeen(id)).toBe(now);
    for (const r of results) expect(timestampToDate(r.session!.idle_expires_at)!.getTime()).toBe(now + 10 * MINUTE);
    // Later validations inside the interval do not even attempt a write.
    const writesBefore = await dbOperationCount(t, 'extend_idle_expiry');
    for (let i = 0; i < 3; i++) {
      t.clock.advance(19_000);
      await t.api.validateSession({ token });
    }
    expect(await dbOperationCount(t, 'extend_idle_expiry')).toBe(writesBefore);
    expect(await lastSeen(id)).toBe(now);
    t.clock.advance(3_000);
    await t.api.validateSession({ token });
    expect(await dbOperationCount(t, 'extend_idle_expiry')).toBe(writesBefore + 1);
    expect(await lastSeen(id)).toBe(now + 60_000);
  });

  it('shares one touch write among concurrent validations that all find it due', async () => {
    const { token } = await t.api.createSession({});
    t.clock.advance(60_000);
    const writes = await dbOperationCount(t, 'extend_idle_expiry');
    // The touch waits until every validation has read the session: otherwise, on a loaded machine, a
    // read answered after the shared write has finished starts a write of its own (conditional, a
    // no-op) and the count flakes, which also "kills" unrelated mutants.
    const callers = 5;
    let reads = 0;
    let allRead!: () => void;
    const everyoneRead = new Promise<void>((resolve) => (allRead = resolve));
    // Validation reads by token (id and secret hash together), not by id.
    const { findByToken, extendIdleExpiry } = SessionRepository.prototype;
    const readSpy = jest.spyOn(t.repository, 'findByToken').mockImplementation(async function (this: SessionRepository, ...args) {
      const record = await findByToken.apply(this, args);
      if (++reads === callers) allRead();
      return record;
    });
    const writeSpy = jest.spyOn(t.repository, 'extendIdleExpiry').mockImplementation(async function (this: SessionRepository, ...args) {
      await everyoneRead;
      return extendIdleExpiry.apply(this, args);
    });
    try {
      const sessions = await Promise.all(Array.from({ length: callers }, () => t.service.validate(token, true, NO_DEADLINE)));
      expect(await dbOperationCount(t, 'extend_idle_expiry')).toBe(writes + 1);
      for (const s of sessions) expect(s.lastSeenAt).toEqual(t.clock.now());
    } finally {
      readSpy.mockRestore();
      writeSpy.mockRestore();
    }
  });

  it('rejects malformed tokens without a database call', async () => {
    const reads = await dbOperationCount(t, 'find_by_id');
    for (const token of ['', 'x.y', `not-a-uuid.${'A'.repeat(43)}`]) {
      expect((await failureOf(t.api.validateSession({ token }))).errorCode).toBe('invalid_token');
      expect((await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct({ a: 1 }) }))).errorCode).toBe('invalid_token');
    }
    expect(await dbOperationCount(t, 'find_by_id')).toBe(reads);
  });

  it('keeps a revoked session dead even with updates in flight', async () => {
    const { token, session } = await t.api.createSession({});
    const updates = Array.from({ length: 10 }, (_, i) =>
      t.api.updateSessionData({ token, user_data: jsonToStruct({ [`k${i}`]: i }) }).catch((e) => e),
    );
    const revoke = t.api.revokeSession({ token });
    const settled = await Promise.all([...updates, revoke]);
    expect(settled[settled.length - 1]).toEqual({ revoked: true });
    expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({ errorCode: 'session_revoked' });
    expect(await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct({ late: 1 }) }))).toMatchObject({
      errorCode: 'session_revoked',
    });
    const doc = await t.collection.findOne({ _id: session!.session_id });
    expect(doc!.revoked_at).toBeInstanceOf(Date);
    expect(doc!.user_data).not.toHaveProperty('late');
  });

  it('never revives a revoked session through a conditional write', async () => {
    const { token, session } = await t.api.createSession({});
    const id = session!.session_id;
    await t.api.revokeSession({ token });
    const now = t.clock.now();
    const expiry = { idleExpiresAt: now, absoluteExpiresAt: now, expiresAt: now };
    const base = (await t.repository.findById(id, NO_DEADLINE))!;
    expect(await t.repository.writeDataIfVersion(id, 0, { base, userData: { a: 1 }, now, expiry }, NO_DEADLINE)).toBeNull();
    expect(await t.repository.extendIdleExpiry(id, now, expiry, undefined, NO_DEADLINE)).toBeNull();
    expect(await t.repository.markRevoked(id, now, NO_DEADLINE)).toBe(false);
    expect((await t.collection.findOne({ _id: id }))!.user_data).toEqual({});
  });
});
