import { startEmbeddedDb, stopProcess, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient } from 'mongodb';
import { NO_DEADLINE, type CallContext } from '../domain/call-context';
import { ServiceUnavailableError } from '../domain/errors';
import { NOT_SIGNED_IN, type SessionRecord } from '../domain/session';
import { SessionRepository } from './session-repository';

/**
 * maxTimeMS only bounds work on a server that answers. A frozen database (SIGSTOP: its sockets stay
 * open, nothing answers) is the case it cannot cover; there every call must still come back within
 * its own budget, with UNAVAILABLE, so the caller hears a real answer before its deadline.
 */
describe('SessionRepository against a frozen database', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  const dbName = uniqueDbName('frozen');
  const ID = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8e01';
  const t0 = new Date();
  const expiry = {
    idleExpiresAt: new Date(t0.getTime() + 60_000),
    absoluteExpiresAt: new Date(t0.getTime() + 120_000),
    expiresAt: new Date(t0.getTime() + 60_000),
  };
  const stored: SessionRecord = {
    sessionId: ID,
    secretHash: 'f'.repeat(64),
    userId: null,
    userData: { a: 1 },
    version: 0,
    createdAt: t0,
    updatedAt: t0,
    lastSeenAt: t0,
    ...expiry,
    revokedAt: null,
    ...NOT_SIGNED_IN,
  };

  beforeAll(async () => {
    db = await startEmbeddedDb();
    client = await MongoClient.connect(db.uri, { maxPoolSize: 20 });
  });
  afterAll(async () => {
    process.kill(db.process.child.pid as number, 'SIGCONT');
    await client.close(true);
    await db.stop({ removeData: true });
  });

  it('answers every method with UNAVAILABLE within the call budget instead of waiting for the database', async () => {
    const repository = new SessionRepository(client.db(dbName), { maxTimeMs: 5_000 });
    await repository.ensureIndexes();
    await repository.insert(stored, NO_DEADLINE);
    // Open connections first, so the calls below wait on a frozen server, not on a fresh handshake.
    await Promise.all(Array.from({ length: 16 }, () => repository.findById(ID, NO_DEADLINE)));

    const calls: Record<string, (ctx: CallContext) => Promise<unknown>> = {
      insert: (ctx) => repository.insert({ ...stored, sessionId: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8e02' }, ctx),
      findById: (ctx) => repository.findById(ID, ctx),
      findByToken: (ctx) => repository.findByToken(ID, stored.secretHash, ctx),
      extendIdleExpiry: (ctx) => repository.extendIdleExpiry(ID, t0, expiry, undefined, ctx),
      writeDataIfVersion: (ctx) => repository.writeDataIfVersion(ID, 0, { base: stored, userData: { b: 2 }, now: t0, expiry }, ctx),
      bindUserIfUnchanged: (ctx) =>
        repository.bindUserIfUnchanged(
          stored,
          {
            userId: 'u',
            secretHash: 'e'.repeat(64),
            now: t0,
            expiry,
            claims: {},
            authenticationMethod: 'password',
            device: null,
            rememberMe: true,
          },
          ctx,
        ),
      markRevoked: (ctx) => repository.markRevoked(ID, t0, ctx),
      findLiveByUser: (ctx) => repository.findLiveByUser('u', t0, { limit: 10, withUserData: true }, ctx),
      findLiveIdsByUser: (ctx) => repository.findLiveIdsByUser('u', t0, ctx),
    };
    // A 700 ms caller deadline less the answer margin the unary wrapper keeps (at most a fifth of it).
    const marginMs = 140;
    const budgetMs = 700 - marginMs;

    // The sweeper's calls have no caller deadline: maxTimeMs alone bounds them.
    const sweeping = new SessionRepository(client.db(dbName), { maxTimeMs: 400 });
    const sweeps: Record<string, () => Promise<unknown>> = {
      findSweepableIds: () => sweeping.findSweepableIds('orphan', t0, 10, NO_DEADLINE),
      deleteSweepable: () => sweeping.deleteSweepable('orphan', t0, [ID], NO_DEADLINE),
    };
    const run = async (name: string, boundMs: number, call: () => Promise<unknown>) => {
      const started = Date.now();
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      return { name, unavailable: error instanceof ServiceUnavailableError, tookMs: Date.now() - started, boundMs };
    };

    // Stopped for certain before the first call: a SIGSTOP still in delivery let the insert through once.
    await stopProcess(db.process.child.pid as number);
    const outcomes = await Promise.all([
      ...Object.entries(calls).map(([name, call]) => run(name, budgetMs, () => call({ requestId: name, deadline: Date.now() + budgetMs }))),
      ...Object.entries(sweeps).map(([name, call]) => run(name, 400, call)),
    ]);
    process.kill(db.process.child.pid as number, 'SIGCONT');

    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ name: outcome.name, unavailable: true });
      expect(outcome.tookMs).toBeGreaterThanOrEqual(outcome.boundMs - 5);
      // Within the caller's deadline: the bound plus the margin kept for the answer to travel.
      expect(outcome.tookMs).toBeLessThan(outcome.boundMs + marginMs);
    }
    expect(outcomes).toHaveLength(11);
  });
});
