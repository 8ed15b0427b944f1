import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfigOrExit, loadSessionServiceConfig, mongoClientOptions } from '@session/config';
import { SESSION_SERVICE_NAME } from '@session/proto';
import { HealthImplementation } from 'grpc-health-check';
import { MongoClient } from 'mongodb';
import type { SessionRepository } from './db/session-repository';
import { systemClock } from './domain/clock';
import { SessionService } from './domain/session-service';
import { ChangeBus } from './feed/change-bus';
import { createMonitoredRepository } from './monitored-repository';
import { bindServer, createGrpcServer, grpcServerOptions } from './grpc/grpc-server';
import { createServiceHandlers } from './grpc/service-handlers';
import { createLogger, type Logger } from './observability/logger';
import { ServiceMetrics } from './observability/metrics';
import { startMetricsServer } from '@session/grpc-server';
import { Sweeper, sweeperSettings } from './sweeper/sweeper';

/** The database may start after us (nx runs both at once): retry until the indexes exist or we are told to stop. */
async function prepareDatabase(
  client: MongoClient,
  repository: SessionRepository,
  logger: Logger,
  stopping: () => boolean,
): Promise<boolean> {
  for (let attempt = 1; !stopping(); attempt++) {
    try {
      // An explicit connect: after a failed implicit one the driver keeps its topology closed.
      await client.connect();
      const report = await repository.ensureIndexes();
      if (!report.ttl)
        logger.info(
          { reason: report.ttlError },
          'no TTL index on expires_at (the server refused it); the sweeper removes expired sessions alone',
        );
      return true;
    } catch (err) {
      logger.warn({ err, attempt }, 'database not ready; retrying');
      await sleep(Math.min(attempt * 500, 5_000));
    }
  }
  return false;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(loadSessionServiceConfig);
  const logger = createLogger(config.logLevel);
  const metrics = new ServiceMetrics({ defaultMetrics: true });
  // The repository also bounds every operation by the call's own deadline, and fails it at once
  // while the health monitor knows the database is down.
  const client = new MongoClient(config.mongo.uri, {
    ...mongoClientOptions(config.mongo, 'session-service'),
    readPreference: config.mongo.readPreference,
  });
  const health = new HealthImplementation();
  const { repository, monitor } = createMonitoredRepository(client, config.mongo.dbName, health, logger, {
    monitor: { services: ['', SESSION_SERVICE_NAME] },
    repository: { observer: metrics },
  });
  const changes = new ChangeBus(metrics);
  const service = new SessionService(repository, config.session, systemClock, changes);
  const server = createGrpcServer(
    createServiceHandlers(service, changes, config.feed, { logger, metrics }),
    health,
    grpcServerOptions(config.grpc, logger, metrics.registry),
  );
  if (config.grpc.callers.length === 0) {
    logger.warn({ host: config.grpc.host }, 'no gRPC callers configured (GRPC_CALLERS): serving loopback peers only, without API keys');
  }
  const sweeper = new Sweeper(repository, sweeperSettings(config), systemClock, logger, changes, metrics);
  // Metrics come up first, so a service still waiting for its database can be observed.
  const metricsServer = await startMetricsServer(metrics.registry, config.metrics.host, config.metrics.port);

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason: string, exitCode: number) => {
    shuttingDown ??= (async () => {
      logger.info({ reason }, 'shutting down');
      // Feed streams never end on their own: ended first, so the grace below waits for unary calls only.
      changes.close();
      monitor.stop();
      await sweeper.stop();
      const forced = setTimeout(() => {
        logger.warn({ graceMs: config.shutdownGraceMs }, 'calls still running after the grace period; forcing shutdown');
        server.forceShutdown();
      }, config.shutdownGraceMs);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      clearTimeout(forced);
      await Promise.allSettled([client.close(), metricsServer.close()]);
      logger.info('session service stopped');
      process.exit(exitCode);
    })();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    shutdown('unhandledRejection', 1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    shutdown('uncaughtException', 1);
  });

  if (!(await prepareDatabase(client, repository, logger, () => shuttingDown !== undefined))) return;
  const port = await bindServer(server, config.grpc.host, config.grpc.port);
  await monitor.start();
  sweeper.start();
  logger.info(
    {
      host: config.grpc.host,
      port,
      // Names and allow-lists only: the key hashes stay out of the logs too.
      callers: Object.fromEntries(config.grpc.callers.map((c) => [c.name, c.rpcs])),
      reflection: config.grpc.reflection,
      feedStreamId: changes.streamId,
      metricsPort: metricsServer.port,
      db: config.mongo.dbName,
      embeddedDb: config.mongo.embedded,
    },
    'session service listening',
  );
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 60, msg: 'session service failed to start', err: String(err) }));
  process.exit(1);
});
