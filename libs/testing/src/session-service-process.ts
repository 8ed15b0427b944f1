import { appBundle, startAppBundle, type AppProcess, type AppProcessOptions } from './app-bundle';

export interface SessionServiceProcessOptions extends AppProcessOptions {
  mongoUri: string;
  dbName: string;
}

export interface SessionServiceProcess extends AppProcess {
  /** `127.0.0.1:<port>`, ready for createSessionClient. */
  readonly address: string;
  readonly port: number;
  readonly metricsPort: number;
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
  const { ready, ...app } = await startAppBundle<{ port: number; metricsPort: number }>(
    'session-service',
    'session service listening',
    env,
    options.timeoutMs,
  );
  return { ...app, address: `127.0.0.1:${ready.port}`, port: ready.port, metricsPort: ready.metricsPort };
}
