import { setTimeout as sleep } from 'node:timers/promises';
import { loadAccountsServiceConfig, loadConfigOrExit, mongoClientOptions } from '@session/config';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { bindServer, startMetricsServer } from '@session/grpc-server';
import { ACCOUNTS_SERVICE_NAME } from '@session/proto';
import closeWithGrace from 'close-with-grace';
import { HealthImplementation } from 'grpc-health-check';
import { MongoClient } from 'mongodb';
import { AccountRepository } from './db/account-repository';
import { watchDatabase } from './db/db-health';
import { AccountsService } from './domain/accounts-service';
import { OWASP_SCRYPT, PasswordHasher } from './domain/password-hasher';
import { SignInThrottle } from './domain/sign-in-throttle';
import { createAccountsHandlers } from './grpc/accounts-handlers';
import { createAccountsServer } from './grpc/accounts-server';
import { createRpcWrapper } from './grpc/rpc-wrapper';
import { createLogger } from './observability/logger';
import { AccountsMetrics } from './observability/metrics';
import { SessionServicePort } from './sessions/session-service-port';

async function main(): Promise<void> {
  const config = loadConfigOrExit(loadAccountsServiceConfig);
  const logger = createLogger(config.logLevel);
  const metrics = new AccountsMetrics({ defaultMetrics: true });
  const client = new MongoClient(config.mongo.uri, mongoClientOptions(config.mongo, 'accounts-service'));
  const db = client.db(config.mongo.dbName);
  const repository = new AccountRepository(db);
  const sessionApi = new SessionApi(
    createSessionClient({
      address: config.sessionService.url,
      apiKey: config.sessionService.apiKey,
      roundRobin: config.sessionService.url.startsWith('dns:///'),
    }),
    config.sessionService.deadlineMs,
  );
  const hasher = new PasswordHasher(OWASP_SCRYPT, config.accounts.hashConcurrency, (seconds) => metrics.hashSeconds.observe(seconds));
  const throttle = new SignInThrottle({
    perAccount: config.accounts.signInAccountLimit,
    perAddress: config.accounts.signInAddressLimit,
    windowMs: config.accounts.signInWindowMs,
  });
  const service = new AccountsService(
    repository,
    new SessionServicePort(sessionApi, config.sessionService.deadlineMs),
    hasher,
    throttle,
    { reauthWindowMs: config.accounts.reauthWindowMs },
    metrics,
  );
  const health = new HealthImplementation({ '': 'NOT_SERVING', [ACCOUNTS_SERVICE_NAME]: 'NOT_SERVING' });
  const server = createAccountsServer(
    createAccountsHandlers(service, createRpcWrapper({ logger, metrics })),
    health,
    config.grpc,
    logger,
    metrics.registry,
  );
  if (config.grpc.callers.length === 0)
    logger.warn({ host: config.grpc.host }, 'no gRPC callers configured (GRPC_CALLERS): serving loopback peers only, without API keys');
  const metricsServer = await startMetricsServer(metrics.registry, config.metrics.host, config.metrics.port);

  let stopping = false;
  // Started once the service listens; the shutdown may come before that.
  const dbWatch: { current?: { stop(): void } } = {};
  // close-with-grace: SIGTERM/SIGINT and fatal errors alike end here, once, within the grace period.
  closeWithGrace({ delay: config.shutdownGraceMs + 2_000, logger }, async ({ signal, err }) => {
    stopping = true;
    if (err) logger.fatal({ err }, 'fatal error; shutting down');
    logger.info({ reason: signal ?? 'error' }, 'shutting down');
    dbWatch.current?.stop();
    // In-flight sign-ins finish (they hold the caller's rotated token); new calls are refused.
    const forced = setTimeout(() => {
      logger.warn({ graceMs: config.shutdownGraceMs }, 'calls still running after the grace period; forcing shutdown');
      server.forceShutdown();
    }, config.shutdownGraceMs);
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    clearTimeout(forced);
    sessionApi.close();
    await Promise.allSettled([client.close(), metricsServer.close()]);
    logger.info('accounts service stopped');
  });

  // The database may start after us (npm start runs everything at once): retry until the index exists.
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await client.connect();
      await repository.ensureIndexes();
      break;
    } catch (err) {
      logger.warn({ err, attempt }, 'database not ready; retrying');
      await sleep(Math.min(attempt * 500, 5_000));
    }
  }
  if (stopping) return;
  // Made before the first call: an unknown-email sign-in must cost what a known one does from the start.
  await hasher.dummyHash();
  const port = await bindServer(server, config.grpc.host, config.grpc.port);
  dbWatch.current = watchDatabase(db, health, ['', ACCOUNTS_SERVICE_NAME], logger);
  logger.info(
    {
      host: config.grpc.host,
      port,
      // Names and allow-lists only: neither keys nor their hashes are logged.
      callers: Object.fromEntries(config.grpc.callers.map((c) => [c.name, c.rpcs])),
      reflection: config.grpc.reflection,
      sessionService: config.sessionService.url,
      metricsPort: metricsServer.port,
      db: config.mongo.dbName,
      scrypt: OWASP_SCRYPT,
      hashConcurrency: config.accounts.hashConcurrency,
    },
    'accounts service listening',
  );
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 60, msg: 'accounts service failed to start', err: String(err) }));
  process.exit(1);
});
