import { startAppBundle, type AppProcess, type AppProcessOptions } from './app-bundle';

export interface AccountsServiceProcessOptions extends AppProcessOptions {
  mongoUri: string;
  dbName: string;
  /** `127.0.0.1:<port>` of a running session service. */
  sessionServiceAddress: string;
}

export interface AccountsServiceProcess extends AppProcess {
  /** `127.0.0.1:<port>`, ready for an AccountsService client. */
  readonly address: string;
  readonly port: number;
  readonly metricsPort: number;
}

/**
 * Spawns the built accounts service on free loopback ports and waits for its "accounts service
 * listening" line (written once the email index exists and the dummy hash is made).
 */
export async function startAccountsService(options: AccountsServiceProcessOptions): Promise<AccountsServiceProcess> {
  const env = {
    MONGODB_URI: options.mongoUri,
    MONGODB_DB: options.dbName,
    SESSION_SERVICE_URL: options.sessionServiceAddress,
    ACCOUNTS_SERVICE_URL: '127.0.0.1:0',
    ACCOUNTS_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const { ready, ...app } = await startAppBundle<{ port: number; metricsPort: number }>(
    'accounts-service',
    'accounts service listening',
    env,
    options.timeoutMs,
  );
  return { ...app, address: `127.0.0.1:${ready.port}`, port: ready.port, metricsPort: ready.metricsPort };
}
