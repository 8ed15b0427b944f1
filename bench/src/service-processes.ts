import { checkHealth, createHealthClient, createSessionClient } from '@session/grpc-client';
import { serviceNodeFlags, type FlaggedService } from './service-node-flags';
import { freePort, gatewayBundle, sessionServiceBundle, startProcess, workspaceRoot, type RunningProcess } from '@session/testing';

/**
 * The services as their built bundles with LOG_LEVEL=warn. At that level
 * they do not print their info-level "listening" line, which the test
 * helpers (startSessionService / startGateway) wait for; so the bench picks
 * the ports itself and waits for gRPC health SERVING and HTTP /readyz.
 */
export const SERVICE_LOG_LEVEL = 'warn';

/** How to start one service beyond the defaults: extra variables, extra node flags (e.g. --cpu-prof, not allowed in NODE_OPTIONS). */
export interface SpawnOptions {
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Another build of the service (e.g. an earlier commit's, to compare) and the checkout it runs from; default this one's. */
  build?: { bundle: string; cwd: string };
}

export interface ServiceProcess {
  proc: RunningProcess;
  pid: number;
  stop(): Promise<unknown>;
}

async function waitUntil(what: string, proc: RunningProcess, ready: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited during start:\n${proc.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await proc.stop('SIGKILL');
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

function spawnBundle(service: FlaggedService, defaultBundle: string, env: Record<string, string>, options: SpawnOptions): ServiceProcess {
  const { bundle, cwd } = options.build ?? { bundle: defaultBundle, cwd: workspaceRoot() };
  // The service's own flags first: a side script's extra flags come later and win (V8 takes the last).
  const proc = startProcess(process.execPath, [...serviceNodeFlags(service), ...(options.nodeArgs ?? []), bundle], {
    cwd,
    env: { ...process.env, LOG_LEVEL: SERVICE_LOG_LEVEL, ...env, ...options.env },
  });
  return { proc, pid: proc.child.pid ?? 0, stop: () => proc.stop() };
}

export async function spawnSessionService(
  mongoUri: string,
  dbName: string,
  options: SpawnOptions = {},
): Promise<ServiceProcess & { address: string; metricsUrl: string }> {
  const address = `127.0.0.1:${await freePort()}`;
  const metricsPort = await freePort();
  const service = spawnBundle(
    'session-service',
    sessionServiceBundle(),
    {
      MONGODB_URI: mongoUri,
      MONGODB_DB: dbName,
      SESSION_SERVICE_URL: address,
      METRICS_PORT: String(metricsPort),
    },
    options,
  );
  const client = createSessionClient({ address });
  const health = createHealthClient(client);
  try {
    await waitUntil('session service', service.proc, async () => (await checkHealth(health, '', 500)) === 'SERVING');
  } finally {
    client.close();
  }
  return { ...service, address, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/**
 * A gateway on free ports. Its /metrics is on the separate operations listener
 * (GATEWAY_METRICS_PORT), given a port of its own here so the bench can read
 * the near cache's counters. `sessionServiceUrl` is any SESSION_SERVICE_URL
 * the gateway accepts; `options.env` adds settings (cache, feed, balancing).
 * INVALID_TOKEN_LIMIT is raised to its maximum: the gateway counts every
 * token request in flight from one address against it (a burst cannot
 * outrun the count), so at the default 30 the bench's 32 connections from
 * 127.0.0.1 would get 429s; real traffic comes from many addresses.
 */
export async function spawnGateway(
  sessionServiceUrl: string,
  options: SpawnOptions = {},
): Promise<ServiceProcess & { url: string; metricsUrl: string }> {
  const port = await freePort();
  const metricsPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = spawnBundle(
    'gateway',
    gatewayBundle(),
    {
      SESSION_SERVICE_URL: sessionServiceUrl,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_METRICS_HOST: '127.0.0.1',
      GATEWAY_METRICS_PORT: String(metricsPort),
      INVALID_TOKEN_LIMIT: '100000',
    },
    options,
  );
  await waitUntil('gateway', gateway.proc, async () => (await fetch(`${url}/readyz`)).status === 200);
  return { ...gateway, url, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}
