import * as grpc from '@grpc/grpc-js';
import { loadSessionServiceConfig, type SessionServiceConfig } from '@session/config';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { ERROR_CODE_METADATA_KEY, SESSION_SERVICE_NAME } from '@session/proto';
import { startEmbeddedDb, uniqueDbName, type EmbeddedDb } from '@session/testing';
import { HealthImplementation } from 'grpc-health-check';
import { MongoClient, type Collection } from 'mongodb';
import type { SessionDocument } from '../db/session-document';
import { SESSIONS_COLLECTION, type SessionRepository } from '../db/session-repository';
import { SessionService } from '../domain/session-service';
import { ChangeBus } from '../feed/change-bus';
import { bindServer, createGrpcServer, grpcServerOptions } from '../grpc/grpc-server';
import { createServiceHandlers } from '../grpc/service-handlers';
import type { DbHealthMonitor } from '../health/db-health-monitor';
import { createMonitoredRepository } from '../monitored-repository';
import { createLogger, type Logger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';
import { ManualClock } from './manual-clock';

export interface TestServiceOptions {
  /** Variables for loadSessionServiceConfig, as the process would read them. */
  env?: Record<string, string>;
  /** Share one database between harnesses (the health spec stops its own). */
  db?: EmbeddedDb;
  healthIntervalMs?: number;
  /** The key `api` sends (when env configures GRPC_CALLERS). */
  apiKey?: string;
}

/**
 * The session service wired as main.ts wires it, in this process, on a
 * unique database of a real embedded FerretDB, with a real gRPC server on
 * port 0 and a real client. Log lines are kept so specs can inspect them.
 */
export interface TestService {
  readonly db: EmbeddedDb;
  readonly config: SessionServiceConfig;
  readonly clock: ManualClock;
  readonly mongo: MongoClient;
  readonly collection: Collection<SessionDocument>;
  readonly repository: SessionRepository;
  readonly service: SessionService;
  /** This instance's change feed (what WatchSessionChanges streams). */
  readonly changes: ChangeBus;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  readonly monitor: DbHealthMonitor;
  readonly server: grpc.Server;
  readonly address: string;
  readonly api: SessionApi;
  /** Every JSON log line written so far. */
  logs(): string;
  close(): Promise<void>;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const ownDb = !options.db;
  const db = options.db ?? (await startEmbeddedDb());
  const config = loadSessionServiceConfig({ MONGODB_URI: db.uri, MONGODB_DB: uniqueDbName('svc'), LOG_LEVEL: 'debug', ...options.env });
  const lines: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void lines.push(line) });
  const clock = new ManualClock();
  const metrics = new ServiceMetrics();
  const mongo = new MongoClient(config.mongo.uri, { serverSelectionTimeoutMS: 1_000, writeConcern: { w: 'majority' } });
  const health = new HealthImplementation();
  const { repository, monitor } = createMonitoredRepository(mongo, config.mongo.dbName, health, logger, {
    monitor: { services: ['', SESSION_SERVICE_NAME], intervalMs: options.healthIntervalMs ?? 60_000, timeoutMs: 1_000 },
    repository: { observer: metrics },
  });
  await repository.ensureIndexes();
  const changes = new ChangeBus(metrics);
  const service = new SessionService(repository, config.session, clock, changes);
  const server = createGrpcServer(
    createServiceHandlers(service, changes, config.feed, { logger, metrics }),
    health,
    grpcServerOptions(config.grpc, logger, metrics.registry),
  );
  const port = await bindServer(server, '127.0.0.1', 0);
  await monitor.start();
  const address = `127.0.0.1:${port}`;
  const api = new SessionApi(createSessionClient({ address, apiKey: options.apiKey }), 5_000);

  return {
    db,
    config,
    clock,
    mongo,
    collection: mongo.db(config.mongo.dbName).collection<SessionDocument>(SESSIONS_COLLECTION),
    repository,
    service,
    changes,
    metrics,
    logger,
    monitor,
    server,
    address,
    api,
    logs: () => lines.join(''),
    async close() {
      api.close();
      monitor.stop();
      changes.close();
      server.forceShutdown();
      await mongo
        .db(config.mongo.dbName)
        .dropDatabase()
        .catch(() => undefined);
      await mongo.close();
      if (ownDb) await db.stop({ removeData: true });
    },
  };
}

/** The `x-error-code` and status of a failed call, for compact assertions. */
export async function failureOf(promise: Promise<unknown>): Promise<{ code: grpc.status; errorCode: string | undefined; details: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as grpc.ServiceError;
    return { code: e.code, errorCode: e.metadata?.get(ERROR_CODE_METADATA_KEY)[0] as string | undefined, details: e.details };
  }
  throw new Error('expected the call to fail');
}
