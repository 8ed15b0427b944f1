import { appBundle, startAppBundle } from './app-bundle';
import type { RunningProcess } from './child-process';

export interface GatewayProcessOptions {
  /** `host:port` of a running session service. */
  sessionServiceUrl: string;
  /** Extra variables (e.g. CREATE_RATE_LIMIT); they win over the defaults set here. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the listening line. */
  timeoutMs?: number;
}

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The operations listener's `http://host:port/metrics`. */
  readonly metricsUrl: string;
  readonly process: RunningProcess;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Path of the built gateway bundle. */
export function gatewayBundle(): string {
  return appBundle('gateway');
}

/**
 * Spawns the built gateway on free loopback ports (public and metrics) and waits for its
 * "gateway listening" line, from which it reads the port.
 */
export async function startGateway(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const env = { SESSION_SERVICE_URL: options.sessionServiceUrl, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: '0', GATEWAY_METRICS_PORT: '0', LOG_LEVEL: 'info', ...options.env };
  const { proc, ready } = await startAppBundle<{ port: number; url: string; metricsUrl: string }>('gateway', 'gateway listening', env, options.timeoutMs);
  return { url: ready.url, port: ready.port, metricsUrl: ready.metricsUrl, process: proc, stop: (signal = 'SIGTERM') => proc.stop(signal) };
}
