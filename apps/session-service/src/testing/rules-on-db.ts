import { loadSessionServiceConfig } from '@session/config';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { MongoClient, type Collection } from 'mongodb';
import type { SessionDocument } from '../db/session-document';
import { SESSIONS_COLLECTION, SessionRepository } from '../db/session-repository';
import type { SessionChange } from '../domain/change-publisher';
import { SessionService, type SessionPolicy } from '../domain/session-service';
import type { SessionStore } from '../domain/session-store';
import { ManualClock } from './manual-clock';

/**
 * The session rules over a real repository on the embedded database, without the gRPC layer: the
 * domain specs assert exactly what each rule returns, stores and publishes to the change feed.
 */
export interface RulesOnDb {
  readonly clock: ManualClock;
  readonly repository: SessionRepository;
  readonly collection: Collection<SessionDocument>;
  /** Every change the rules published, in order; specs may empty it. */
  readonly published: SessionChange[];
  readonly policy: SessionPolicy;
  /**
   * A service sharing the clock and the published list, with its own policy and, for a race or a
   * failure a real database cannot be made to produce on cue, some store methods replaced (the rest
   * stay the real repository's).
   */
  service(overrides?: { policy?: Partial<SessionPolicy>; replace?: Partial<SessionStore> }): SessionService;
  close(): Promise<void>;
}

export async function startRulesOnDb(policy: Partial<SessionPolicy> = {}): Promise<RulesOnDb> {
  const db: EmbeddedDb = await startEmbeddedDb();
  const mongo = await MongoClient.connect(db.uri);
  const dbName = uniqueDbName('rules');
  // No ensureIndexes: the rules need none, and repository code run in a hook would count as run by
  // every spec for mutation testing (a "static" mutant reruns them all).
  const repository = new SessionRepository(mongo.db(dbName));
  const clock = new ManualClock();
  const published: SessionChange[] = [];
  const base = { ...loadSessionServiceConfig({}).session, ...policy };
  return {
    clock,
    repository,
    collection: mongo.db(dbName).collection<SessionDocument>(SESSIONS_COLLECTION),
    published,
    policy: base,
    service: (overrides = {}) =>
      new SessionService(
        Object.assign(Object.create(repository) as SessionStore, overrides.replace),
        { ...base, ...overrides.policy },
        clock,
        { publish: (change) => void published.push(change) },
      ),
    async close() {
      await mongo.close();
      await db.stop({ removeData: true });
    },
  };
}

/**
 * For a spec file: starts the rules before its specs (one embedded database for the file), stops
 * them after, and empties the published list before each spec. Read the fields inside specs only.
 */
export function rulesOnDbPerFile(policy: Partial<SessionPolicy> = {}): { rules: RulesOnDb; service: SessionService } {
  const handle = {} as { rules: RulesOnDb; service: SessionService };
  beforeAll(async () => {
    handle.rules = await startRulesOnDb(policy);
    handle.service = handle.rules.service();
  });
  afterAll(async () => handle.rules?.close());
  beforeEach(() => {
    handle.rules.published.length = 0;
  });
  return handle;
}

/** The repository's markRevoked for the first `succeeding` calls, then `failure`: a store lost part-way through a loop of revocations. */
export function markRevokedFailingAfter(repository: SessionRepository, succeeding: number, failure: Error): SessionStore['markRevoked'] {
  let calls = 0;
  return async (sessionId, now, ctx) => {
    if (++calls > succeeding) throw failure;
    return repository.markRevoked(sessionId, now, ctx);
  };
}
