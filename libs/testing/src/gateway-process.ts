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
  readonly process: RunningProcess;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Path of the built gateway bundle. */
export function gatewayBundle(): string {
  return appBundle('gateway');
}

/**
 * Spawns the built gateway on a free loopback port and waits for its
 * "gateway listening" line, from which it reads the port.
 */
export async function startGateway(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const env = { SESSION_SERVICE_URL: options.sessionServiceUrl, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: '0', LOG_LEVEL: 'info', ...options.env };
  const { proc, ready } = await startAppBundle<{ port: number; url: string }>('gateway', 'gateway listening', env, options.timeoutMs);
  return { url: ready.url, port: ready.port, process: proc, stop: (signal = 'SIGTERM') => proc.stop(signal) };
}
