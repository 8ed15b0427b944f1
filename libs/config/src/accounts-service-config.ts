import { DURATION_PATTERN, parseDuration } from './duration';
import { ACCOUNTS_SERVICE_ALLOWED_RPC_NAMES, type GrpcCaller } from './grpc-callers';
import { grpcListenSettings } from './grpc-listen-settings';
import { deepFreeze } from './deep-freeze';
import { ConfigError, loadEnv } from './load-env';
import { mongoEnvProperties, mongoSettings, type MongoSettings, type RawMongoEnv } from './mongo-settings';

const duration = (fallback: string, description: string) => ({ type: 'string', pattern: DURATION_PATTERN, default: fallback, description });
const limit = (fallback: number, description: string) => ({
  type: 'integer',
  minimum: 1,
  maximum: 1000000,
  default: fallback,
  description,
});

/** Every variable the accounts service reads; docker-compose and the README are checked against it. */
export const accountsServiceEnvSchema = {
  type: 'object',
  required: [],
  properties: {
    ...mongoEnvProperties({
      poolDefault: 10,
      dbDescription: 'database name, the one the session service uses (its own collection `accounts` in it)',
    }),
    ACCOUNTS_SERVICE_URL: {
      type: 'string',
      pattern: '^[^\\s:]+:\\d{1,5}$',
      default: '127.0.0.1:50061',
      description: 'gRPC listen address host:port (port 0 picks a free one); a non-loopback host needs GRPC_CALLERS',
    },
    GRPC_CALLERS: {
      type: 'string',
      default: '',
      description:
        'callers of the accounts service and the RPCs each may call: gateway=SignUp,SignIn,ChangePassword (docs/grpc-callers.md); empty accepts only loopback peers',
    },
    GRPC_CALLER_KEY_HASHES: {
      type: 'string',
      default: '',
      description: "SHA-256 (hex) of each caller's API key, two during a rotation: name=hash[,hash]",
    },
    GRPC_REFLECTION: {
      type: 'boolean',
      default: false,
      description: 'serve gRPC server reflection (for grpcurl); subject to the same caller rules',
    },
    SESSION_SERVICE_URL: {
      type: 'string',
      pattern: '^(dns:///)?[^\\s:,]+:\\d{1,5}$',
      default: '127.0.0.1:50051',
      description: 'session service address (dns:///name:port balances over replicas)',
    },
    GRPC_API_KEY: {
      type: 'string',
      pattern: '^[\\x21-\\x7e]{32,256}$',
      description: "this service's API key for the session service (caller `accounts`, the one allowed BindUser); unset sends none",
    },
    GRPC_DEADLINE_MS: {
      type: 'integer',
      minimum: 50,
      maximum: 60000,
      default: 2000,
      description: 'deadline of every call to the session service',
    },
    // Its own names: under `npm start` both services read one environment, so a shared METRICS_PORT would clash.
    ACCOUNTS_METRICS_PORT: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 9466,
      description: 'Prometheus /metrics port of the accounts service (0 picks a free one)',
    },
    ACCOUNTS_METRICS_HOST: { type: 'string', default: '127.0.0.1', description: 'address the metrics endpoint binds to' },
    ACCOUNTS_REAUTH_WINDOW: duration('10m', 'ChangePassword needs a sign-in no older than this'),
    ACCOUNTS_SIGNIN_ACCOUNT_LIMIT: limit(
      5,
      'failed sign-ins per account (normalized email, known or not) per window before RESOURCE_EXHAUSTED; per process',
    ),
    ACCOUNTS_SIGNIN_ADDRESS_LIMIT: limit(20, 'failed sign-ins per client address per window before RESOURCE_EXHAUSTED; per process'),
    ACCOUNTS_SIGNIN_WINDOW: duration('15m', 'the window of both sign-in failure limits'),
    ACCOUNTS_HASH_CONCURRENCY: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'password hashes computed at once (32 MiB each); more wait their turn',
    },
    SHUTDOWN_GRACE: duration('8s', 'in-flight calls get this long to finish on SIGTERM'),
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'pino log level',
    },
  },
} as const;

interface RawAccountsServiceEnv extends RawMongoEnv {
  ACCOUNTS_SERVICE_URL: string;
  GRPC_CALLERS: string;
  GRPC_CALLER_KEY_HASHES: string;
  GRPC_REFLECTION: boolean;
  SESSION_SERVICE_URL: string;
  GRPC_API_KEY?: string;
  GRPC_DEADLINE_MS: number;
  ACCOUNTS_METRICS_PORT: number;
  ACCOUNTS_METRICS_HOST: string;
  ACCOUNTS_REAUTH_WINDOW: string;
  ACCOUNTS_SIGNIN_ACCOUNT_LIMIT: number;
  ACCOUNTS_SIGNIN_ADDRESS_LIMIT: number;
  ACCOUNTS_SIGNIN_WINDOW: string;
  ACCOUNTS_HASH_CONCURRENCY: number;
  SHUTDOWN_GRACE: string;
  LOG_LEVEL: string;
}

export interface AccountsServiceConfig {
  readonly mongo: MongoSettings;
  readonly grpc: {
    readonly host: string;
    readonly port: number;
    /** Empty: no API keys, only loopback peers are served. */
    readonly callers: readonly GrpcCaller[];
    readonly reflection: boolean;
  };
  readonly sessionService: {
    readonly url: string;
    /** Secret: never logged. */
    readonly apiKey: string | undefined;
    readonly deadlineMs: number;
  };
  readonly metrics: { readonly host: string; readonly port: number };
  readonly accounts: {
    readonly reauthWindowMs: number;
    readonly signInAccountLimit: number;
    readonly signInAddressLimit: number;
    readonly signInWindowMs: number;
    readonly hashConcurrency: number;
  };
  readonly shutdownGraceMs: number;
  readonly logLevel: string;
}

/** Parses and freezes the accounts service configuration; throws ConfigError listing every bad variable. */
export function loadAccountsServiceConfig(env: NodeJS.ProcessEnv): AccountsServiceConfig {
  const raw = loadEnv<RawAccountsServiceEnv>(accountsServiceEnvSchema, env);
  // Without callers anyone on the network could try passwords at full speed past the gateway's limits.
  const { settings: grpc, problems } = grpcListenSettings({
    urlVariable: 'ACCOUNTS_SERVICE_URL',
    url: raw.ACCOUNTS_SERVICE_URL,
    GRPC_CALLERS: raw.GRPC_CALLERS,
    GRPC_CALLER_KEY_HASHES: raw.GRPC_CALLER_KEY_HASHES,
    allowedRpcs: ACCOUNTS_SERVICE_ALLOWED_RPC_NAMES,
  });
  // A zero window would forget every failure at once: no throttle at all.
  if (parseDuration(raw.ACCOUNTS_SIGNIN_WINDOW) < 1_000) problems.push('ACCOUNTS_SIGNIN_WINDOW: must be at least 1s');
  if (parseDuration(raw.ACCOUNTS_REAUTH_WINDOW) < 1_000) problems.push('ACCOUNTS_REAUTH_WINDOW: must be at least 1s');
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const config: AccountsServiceConfig = {
    mongo: mongoSettings(raw),
    grpc: { ...grpc, reflection: raw.GRPC_REFLECTION },
    sessionService: { url: raw.SESSION_SERVICE_URL, apiKey: raw.GRPC_API_KEY, deadlineMs: raw.GRPC_DEADLINE_MS },
    metrics: { host: raw.ACCOUNTS_METRICS_HOST, port: raw.ACCOUNTS_METRICS_PORT },
    accounts: {
      reauthWindowMs: parseDuration(raw.ACCOUNTS_REAUTH_WINDOW),
      signInAccountLimit: raw.ACCOUNTS_SIGNIN_ACCOUNT_LIMIT,
      signInAddressLimit: raw.ACCOUNTS_SIGNIN_ADDRESS_LIMIT,
      signInWindowMs: parseDuration(raw.ACCOUNTS_SIGNIN_WINDOW),
      hashConcurrency: raw.ACCOUNTS_HASH_CONCURRENCY,
    },
    shutdownGraceMs: parseDuration(raw.SHUTDOWN_GRACE),
    logLevel: raw.LOG_LEVEL,
  };
  return deepFreeze(config);
}
