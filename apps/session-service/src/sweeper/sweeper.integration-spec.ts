import { jsonToStruct } from '@session/proto';
import { waitUntil } from '@session/testing';
import { MongoClient } from 'mongodb';
import { SessionRepository } from '../db/session-repository';
import { createLogger } from '../observability/logger';
import { startTestService, type TestService } from '../testing/test-service';
import { Sweeper, sweeperSettings } from './sweeper';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('Sweeper', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({
      env: {
        SESSION_IDLE_TTL: '48h',
        SESSION_ABSOLUTE_TTL: '30d',
        SESSION_ORPHAN_TTL: '24h',
        SESSION_REVOKED_RETENTION: '1h',
        SWEEP_BATCH_SIZE: '3',
        SWEEP_INTERVAL: '1s',
      },
    });
  });
  afterAll(async () => t?.close());

  const sweeper = (maxBatchesPerRun?: number) =>
    new Sweeper(t.repository, { ...sweeperSettings(t.config), maxBatchesPerRun }, t.clock, t.logger, t.changes, t.metrics);
  const ids = async () => (await t.collection.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();

  it('removes expired, revoked-past-retention and orphaned sessions in batches and keeps live ones', async () => {
    await t.collection.deleteMany({});
    // Created now: after 50 h their idle timeout (48 h) has passed.
    const expired = await Promise.all(Array.from({ length: 7 }, () => t.api.createSession({ user_data: jsonToStruct({ x: 1 }) })));
    t.clock.advance(25 * HOUR);
    // Created at 25 h, anonymous and never used: orphans once 24 h pass, with data or without.
    const orphans = await Promise.all(Array.from({ length: 4 }, () => t.api.createSession({})));
    const unusedWithData = await t.api.createSession({ user_data: jsonToStruct({ keep: 'x'.repeat(900) }) });
    // Same age but used after creation, or bound to a user: not orphans.
    const used = await t.api.createSession({ user_data: jsonToStruct({ keep: true }) });
    const withUser = await t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: 'kept', remember_me: true });
    const revokedLongAgo = await Promise.all(Array.from({ length: 5 }, () => t.api.createSession({ user_data: jsonToStruct({ r: 1 }) })));
    for (const s of revokedLongAgo) await t.api.revokeSession({ token: s.token });
    t.clock.advance(2 * MINUTE);
    await t.api.validateSession({ token: used.token }); // past the touch interval: the use is written
    t.clock.advance(24 * HOUR + 1);
    const revokedRecently = await t.api.createSession({ user_data: jsonToStruct({ r: 2 }) });
    await t.api.revokeSession({ token: revokedRecently.token });
    const live = await t.api.createSession({});

    const counts = await sweeper().runOnce();
    expect(counts).toEqual({ expired: 7, revoked: 5, orphan: 5 });
    const kept = [used, withUser, revokedRecently, live].map((s) => s.session!.session_id).sort();
    expect(await ids()).toEqual(kept);
    for (const s of [...expired, ...orphans, unusedWithData]) expect(await t.collection.findOne({ _id: s.session!.session_id })).toBeNull();
    expect(t.logs()).toMatch(/"swept":\{"expired":7,"revoked":5,"orphan":5\}/);
    const swept = await t.metrics.registry.getSingleMetricAsString('sessions_swept_total');
    expect(swept).toContain('sessions_swept_total{kind="expired"} 7');
  });

  it('sweeps a never-used anonymous session with data once SESSION_ORPHAN_TTL has passed, not before; keeps a used and a bound one', async () => {
    await t.collection.deleteMany({});
    const data = jsonToStruct({ blob: 'x'.repeat(1_000) });
    const unused = await t.api.createSession({ user_data: data });
    const touched = await t.api.createSession({ user_data: data });
    const updated = await t.api.createSession({ user_data: data });
    // remember_me: the full absolute lifetime, so only the orphan rule is under test here.
    const bound = await t.api.bindUser({
      token: (await t.api.createSession({ user_data: data })).token,
      user_id: 'orphan-check',
      remember_me: true,
    });
    t.clock.advance(HOUR);
    await t.api.touchSession({ token: touched.token });
    await t.api.updateSessionData({ token: updated.token, user_data: jsonToStruct({ blob: 'y' }) });

    t.clock.advance(23 * HOUR); // exactly the orphan TTL after creation: not yet
    expect((await sweeper().runOnce()).orphan).toBe(0);
    t.clock.advance(1);
    expect(await sweeper().runOnce()).toEqual({ expired: 0, revoked: 0, orphan: 1 });
    expect(await ids()).toEqual([touched, updated, bound].map((s) => s.session!.session_id).sort());
    expect(await t.collection.findOne({ _id: unused.session!.session_id })).toBeNull();
    // The record of use is gone from the survivors, so the orphan index holds only unused sessions.
    expect(await t.collection.countDocuments({ unused_since: { $exists: true } })).toBe(0);
  });

  it('bounds one run to a number of batches and finishes in the next run', async () => {
    await t.collection.deleteMany({});
    // Bound to a user, so only the expiry rule applies to them.
    await Promise.all(
      Array.from({ length: 8 }, async () => t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: 'batched' })),
    );
    t.clock.advance(50 * HOUR);
    const s = sweeper(2);
    expect(await s.runOnce()).toEqual({ expired: 6, revoked: 0, orphan: 0 });
    expect(await s.runOnce()).toEqual({ expired: 2, revoked: 0, orphan: 0 });
    expect(await ids()).toEqual([]);
  });

  it('never runs twice at once', async () => {
    const s = sweeper();
    const a = s.runOnce();
    const b = s.runOnce();
    expect(b).toBe(a);
    await a;
  });

  it('runs on its interval until stopped', async () => {
    await t.collection.deleteMany({});
    await t.api.createSession({});
    t.clock.advance(50 * HOUR);
    const s = new Sweeper(t.repository, { ...sweeperSettings(t.config), intervalMs: 20 }, t.clock, t.logger, t.changes);
    s.start();
    s.start(); // a second start is ignored
    await waitUntil(async () => (await t.collection.countDocuments()) === 0, {
      what: 'the interval runs to sweep every session',
      timeoutMs: 5_000,
    });
    await s.stop();
  });
});

describe('Sweeper without a database', () => {
  it('logs a failed run and tries again on the next interval', async () => {
    const t = await startTestService();
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => void lines.push(l) });
    const closed = new MongoClient(t.db.uri, { serverSelectionTimeoutMS: 200 });
    await closed.close();
    const repository = new SessionRepository(closed.db('none'));
    const s = new Sweeper(repository, { ...sweeperSettings(t.config), intervalMs: 10 }, t.clock, logger, t.changes);
    try {
      s.start();
      await waitUntil(() => lines.filter((l) => l.includes('sweep failed')).length >= 2, {
        what: 'two failed runs to be logged',
        timeoutMs: 5_000,
      });
    } finally {
      await s.stop();
      await t.close();
    }
  });
});
