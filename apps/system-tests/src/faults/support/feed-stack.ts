import { createSessionClient, SessionApi } from '@session/grpc-client';
import { metricValue, startReplicaStack, type GatewayProcess, type ReplicaStack } from '@session/testing';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { readSession, type Outcome, type RestSession } from './rest-client';
import { startDb } from './stack';
import type { Teardown } from './teardown';
import { timeUntil } from './wait';

/** The design's bound: a revocation is refused by every gateway within 100 ms of the RPC returning. */
export const PROPAGATION_BOUND_MS = 100;

export interface FeedStack {
  readonly replicas: ReplicaStack;
  /** One SessionApi per replica, straight to it (not through a gateway). */
  readonly apis: readonly SessionApi[];
  /** The raw `user_sessions` collection, for edits that bypass the service. */
  readonly sessions: Collection<Document>;
}

/**
 * Two session-service replicas on one embedded database and two gateways in
 * front of both (each takes both feeds), with short feed settings; resolves
 * once every gateway's feed of every replica is live.
 */
export async function startFeedStack(
  teardown: Teardown,
  options: { serviceEnv?: NodeJS.ProcessEnv; gatewayEnv?: NodeJS.ProcessEnv; services?: number; gateways?: number } = {},
): Promise<FeedStack> {
  const { db, dbName } = await startDb(teardown);
  const replicas = await startReplicaStack({
    mongoUri: db.uri,
    dbName,
    services: options.services,
    gateways: options.gateways,
    serviceEnv: { FEED_HEARTBEAT_INTERVAL: '200ms', ...options.serviceEnv },
    gatewayEnv: { FEED_STALE_AFTER: '1s', GRPC_DEADLINE_MS: '1000', ...options.gatewayEnv },
  });
  teardown.add(() => replicas.close());
  const apis = replicas.services.map((s) => new SessionApi(createSessionClient({ address: s.address }), 2_000));
  teardown.add(async () => apis.forEach((a) => a.close()));
  const mongo = await MongoClient.connect(db.uri);
  teardown.add(() => mongo.close());
  await feedsLive(replicas);
  return { replicas, apis, sessions: mongo.db(dbName).collection('user_sessions') };
}

/** Resolves once every gateway reports every replica's feed connected; throws after timeoutMs. */
export async function feedsLive(replicas: ReplicaStack, timeoutMs = 20_000): Promise<void> {
  const live = async () =>
    (await Promise.all(replicas.gateways.map((g) => metricValue(g.metricsUrl, 'session_feed_connected')))).every(
      (n) => n === replicas.services.length,
    );
  if ((await timeUntil(live, timeoutMs)) === null) throw new Error('the gateways never had every feed live');
}

export const hits = (g: GatewayProcess) => metricValue(g.metricsUrl, 'session_cache_hits_total');
export const misses = (g: GatewayProcess, reason?: string) =>
  metricValue(g.metricsUrl, 'session_cache_misses_total', reason ? { reason } : {});

/** Reads until a read is served from the cache (the hit counter moves across it): the entry is warm. */
export async function warm(gateway: GatewayProcess, session: RestSession, timeoutMs = 10_000): Promise<void> {
  let i = 0;
  const served = await timeUntil(async () => {
    const before = await hits(gateway);
    const res = await readSession(gateway.url, session, `warm-${i++}`);
    return res.status === 200 && (await hits(gateway)) > before;
  }, timeoutMs);
  if (served === null) throw new Error(`${gateway.url} never served ${session.sessionId} from its cache`);
}

/**
 * Reads one token through a gateway in a loop until stopped, recording every
 * answer with when its request started: the evidence for "never accepted
 * after its revocation returned".
 */
export class ReadProbe {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(gateway: GatewayProcess, session: RestSession, label: string) {
    this.loop = (async () => {
      for (let i = 0; this.running; i++) {
        this.outcomes.push(await readSession(gateway.url, session, `${label}-${i}`, 5_000));
        // Yield to the other probes sharing this process (no fixed wait).
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
  }

  async stop(): Promise<Outcome[]> {
    this.running = false;
    await this.loop;
    return this.outcomes;
  }

  /** Answers of 200 to requests started after `at`: each one is a stale acceptance. */
  acceptedAfter(at: number): Outcome[] {
    return this.outcomes.filter((o) => o.startedAt > at && o.status === 200);
  }
}
