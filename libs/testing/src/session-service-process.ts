import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type RunningProcess } from './child-process';
import { workspaceRoot } from './workspace-root';

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
  return join(workspaceRoot(), 'dist', 'apps', 'session-service', 'main.js');
}

/**
 * Spawns the built session service on free loopback ports and waits for its
 * "session service listening" line, from which it reads both ports.
 */
export async function startSessionService(options: SessionServiceProcessOptions): Promise<SessionServiceProcess> {
  const bundle = sessionServiceBundle();
  if (!existsSync(bundle)) {
    throw new Error(`session service bundle not found at ${bundle}; run: npx nx run session-service:build`);
  }
  const proc = startProcess(process.execPath, [bundle], {
    cwd: workspaceRoot(),
    env: {
      ...process.env,
      MONGODB_URI: options.mongoUri,
      MONGODB_DB: options.dbName,
      SESSION_SERVICE_URL: '127.0.0.1:0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  let line: string;
  try {
    [line] = await proc.waitForLine(/^\{.*"msg":"session service listening".*\}$/, options.timeoutMs ?? 30_000);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
  const { port, metricsPort } = JSON.parse(line) as { port: number; metricsPort: number };
  return {
    address: `127.0.0.1:${port}`,
    port,
    metricsPort,
    process: proc,
    stop: (signal = 'SIGTERM') => proc.stop(signal),
  };
}
