import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { HealthImplementation } from 'grpc-health-check';
import { MongoClient } from 'mongodb';
import { NO_DEADLINE } from '../domain/call-context';
import { ServiceUnavailableError } from '../domain/errors';
import { NOT_SIGNED_IN, type SessionRecord } from '../domain/session';
import { DbHealthMonitor } from '../health/db-health-monitor';
import { createLogger } from '../observability/logger';
import { SessionRepository } from './session-repository';

const record = (n: number): SessionRecord => {
  const now = new Date();
  const later = new Date(now.getTime() + 3_600_000);
  return {
    sessionId: `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8d${String(n).padStart(2, '0')}`,
    secretHash: 'c'.repeat(64),
    userId: null,
    userData: { n },
    version: 0,
    createdAt: now,
    updatedAt: now,
    lastSeenAt: now,
    idleExpiresAt: later,
    absoluteExpiresAt: later,
    expiresAt: later,
    ...NOT_SIGNED_IN,
    revokedAt: null,
  };
};

/**
 * The health monitor's way out of a wedged driver is `client.close()` then
 * `client.connect()` on the same MongoClient; the repository keeps the Db and
 * Collection it was built with, so those must keep working across it.
 */
describe('closing and connecting the same MongoClient again', () => {
  let db: EmbeddedDb;
  let client: MongoClient;
  let repository: SessionRepository;
  const dbName = uniqueDbName('reconnect');

  beforeAll(async () => {
    db = await startEmbeddedDb();
    client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 1_000 });
    await client.connect();
    repository = new SessionRepository(client.db(dbName));
    await repository.ensureIndexes();
  });
  afterAll(async () => {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await db.stop({ removeData: true });
  });

  it('keeps the Db and Collection handles working after close() and connect()', async () => {
    await repository.insert(record(1), NO_DEADLINE);
    await client.close();
    // In between, operations fail as "unavailable", never hang or crash.
    const between = await repository.findById(record(1).sessionId, NO_DEADLINE).catch((e: unknown) => e);
    expect(between).toBeInstanceOf(ServiceUnavailableError);
    await client.connect();
    expect((await repository.findById(record(1).sessionId, NO_DEADLINE))?.userData).toEqual({ n: 1 });
    await repository.insert(record(2), NO_DEADLINE);
    expect(await repository.ping()).toBeUndefined();
  });

  it('recovers through the monitor: a reconnect while the database is down fails, one after it is back succeeds', async () => {
    const health = new HealthImplementation();
    const lines: string[] = [];
    const logged = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.includes('reconnect'));
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const monitor = new DbHealthMonitor(() => repository.ping(), health, logger, {
      services: [''],
      intervalMs: 60_000,
      reconnectAfterMs: 0,
      reconnect: async () => {
        await client.close();
        await client.connect();
      },
    });
    await monitor.check();
    expect(monitor.serving).toBe(true);

    await db.stop();
    await monitor.check(); // the ping fails: down
    expect(monitor.databaseDown).toBe(true);
    await monitor.check(); // reconnect attempted (fails: nothing listens), ping fails
    expect(monitor.serving).toBe(false);
    expect(logged()).toEqual([
      'database pings keep failing: reconnecting the client',
      'database client reconnect failed; retrying at every check',
    ]);
    // The client is closed now; calls fail fast, and the repository reports them as unavailable.
    const started = Date.now();
    const failure = await repository.findById(record(1).sessionId, NO_DEADLINE).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_500);

    await db.restart();
    await monitor.check(); // reconnect retried: succeeds, and so does the ping
    expect(monitor.serving).toBe(true);
    expect(logged().at(-1)).toBe('database client reconnected');
    expect((await repository.findById(record(1).sessionId, NO_DEADLINE))?.userData).toEqual({ n: 1 });
    monitor.stop();
  });
});
