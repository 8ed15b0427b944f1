import { loadConfigOrExit, loadGatewayConfig } from '@session/config';
import closeWithGrace from 'close-with-grace';
import { getHeapStatistics } from 'node:v8';
import { buildApp } from './app';
import { cacheHeapProblem } from './cache-heap-check';

// An idle keep-alive socket is dropped after this; a request must arrive whole within REQUEST_TIMEOUT_MS (slow-loris guard).
const CONNECTION_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit(loadGatewayConfig);
  const heapProblem = cacheHeapProblem(config.sessionCache, getHeapStatistics().heap_size_limit);
  if (heapProblem) {
    console.error(heapProblem);
    process.exit(1);
  }
  const app = await buildApp(config, { logger: true, connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS });

  // On SIGTERM/SIGINT: stop accepting, let in-flight requests finish (up to
  // SHUTDOWN_GRACE_MS), then onClose hooks close the gRPC channel.
  closeWithGrace({ delay: config.shutdownGraceMs, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const metricsPort = await app.listenMetrics(config.metrics.host, config.metrics.port);
  app.log.info(
    { port, url: `http://127.0.0.1:${port}`, metricsUrl: `http://${config.metrics.host}:${metricsPort}/metrics` },
    'gateway listening',
  );
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 60, msg: 'gateway failed to start', err: String(err) }));
  process.exit(1);
});
