import { appBundle, startAppBundle } from './app-bundle';
import type { RunningProcess } from './child-process';

export interface SessionServiceProcessOptions {
  mongoUri: string;
  dbName: string;
  /** Extra variables (e.g. SESSION_IDLE_TTL); they win over the defaults set here. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the listening line. */
  timeoutMs?: number;
}

export interface SessionServiceProcess {
  /** `127.0.0.1:<port>`, ready for createSessionClient. */
  readonly address: string;
  readonly port: number;
  readonly metricsPort: number;
  readonly process: RunningProcess;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Path of the built session service bundle. */
export function sessionServiceBundle(): string {
  return appBundle('session-service');
}

/**
 * Spawns the built session service on free loopback ports and waits for its
 * "session service listening" line, from which it reads both ports.
 */
export async function startSessionService(options: SessionServiceProcessOptions): Promise<SessionServiceProcess> {
  const env = {
    MONGODB_URI: options.mongoUri,
    MONGODB_DB: options.dbName,
    SESSION_SERVICE_URL: '127.0.0.1:0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const { proc, ready } = await startAppBundle<{ port: number; metricsPort: number }>('session-service', 'session service listening', env, options.timeoutMs);
  return {
    address: `127.0.0.1:${ready.port}`,
    port: ready.port,
    metricsPort: ready.metricsPort,
    process: proc,
    stop: (signal = 'SIGTERM') => proc.stop(signal),
  };
}
