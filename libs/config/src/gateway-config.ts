import { parsePublicOrigin, parseTrustProxy, type TrustProxy } from './gateway-edge-settings';
import { DURATION_PATTERN, parseDuration } from './duration';
import { ConfigError, loadEnv } from './load-env';

/** Every variable the gateway reads; docker-compose and the README are checked against it. */
export const gatewayEnvSchema = {
  type: 'object',
  required: [],
  properties: {
    GATEWAY_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port (0 picks a free one)' },
    GATEWAY_HOST: { type: 'string', default: '127.0.0.1', description: 'HTTP bind address (0.0.0.0 in containers)' },
    SESSION_SERVICE_URL: {
      type: 'string',
      pattern: '^((dns:///)?[^\\s:,]+:\\d{1,5}|ipv4:[^\\s:,]+:\\d{1,5}(,[^\\s:,]+:\\d{1,5})*)$',
      default: '127.0.0.1:50051',
      description:
        'session service address; dns:///name:port or ipv4:a:port,b:port with GRPC_LOAD_BALANCING=round_robin spreads calls over replicas (and names the feed targets)',
    },
    ACCOUNTS_SERVICE_URL: {
      type: 'string',
      pattern: '^(dns:///)?[^\\s:,]+:\\d{1,5}$',
      default: '127.0.0.1:50061',
      description: 'accounts service address (sign-up, sign-in, password change); GRPC_API_KEY is sent to it too',
    },
    GRPC_LOAD_BALANCING: {
      type: 'string',
      enum: ['pick_first', 'round_robin'],
      default: 'pick_first',
      description: 'gRPC load-balancing policy towards the session service',
    },
    GRPC_DEADLINE_MS: { type: 'integer', minimum: 50, maximum: 60000, default: 2000, description: 'deadline of every gRPC call' },
    ACCOUNTS_DEADLINE_MS: {
      type: 'integer',
      minimum: 50,
      maximum: 60000,
      default: 10000,
      description:
        'deadline of calls to the accounts service: password hashing is slow on purpose and queued (ChangePassword hashes twice)',
    },
    GRPC_API_KEY: {
      type: 'string',
      pattern: '^[\\x21-\\x7e]{32,256}$',
      description:
        'API key sent as x-api-key on every gRPC call (its SHA-256 goes into the session service GRPC_CALLER_KEY_HASHES); unset sends none',
    },
    COOKIE_SECURE: { type: 'boolean', default: false, description: 'Secure cookie with the __Host- prefix (serve over HTTPS)' },
    ALLOWED_ORIGINS: {
      type: 'string',
      default: '',
      description: 'comma-separated extra origins allowed to send cookie-authenticated state-changing requests',
    },
    CORS_ORIGINS: { type: 'string', default: '', description: 'comma-separated origins for CORS; empty disables CORS' },
    CREATE_RATE_LIMIT: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      default: 60,
      description: 'sessions created per minute per client address',
    },
    SIGN_IN_RATE_LIMIT: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      default: 10,
      description:
        'sign-up, sign-in and password-change requests per minute per client address (the accounts service throttles failures on its own too)',
    },
    INVALID_TOKEN_LIMIT: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      default: 30,
      description: 'requests with invalid tokens per minute per client address before 429',
    },
    USER_DATA_MAX_BYTES: {
      type: 'integer',
      minimum: 2,
      maximum: 1048576,
      default: 16384,
      description: 'largest serialized user_data (checked before any gRPC call)',
    },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, maximum: 10485760, default: 65536, description: 'largest request body' },
    TRUST_PROXY: {
      type: 'string',
      default: 'false',
      description:
        'proxies whose X-Forwarded-For/-Proto/-Host are believed: false, a hop count (1 = one reverse proxy in front) or comma-separated addresses/CIDRs (loopback, uniquelocal allowed); true is refused',
    },
    PUBLIC_ORIGIN: {
      type: 'string',
      default: '',
      description:
        'the public origin (https://app.example) behind a TLS-terminating proxy; cookie writes and creates must come from it; empty means the origin the request reached',
    },
    GATEWAY_METRICS_PORT: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 9465,
      description: 'operations listener serving the Prometheus /metrics of the gateway (0 picks a free one)',
    },
    GATEWAY_METRICS_HOST: { type: 'string', default: '127.0.0.1', description: 'address the operations listener binds to' },
    API_DOCS: { type: 'boolean', default: true, description: 'serve /docs and /openapi.json (turn off in production)' },
    WEB_ROOT: { type: 'string', default: '', description: 'folder of the built web app; empty means dist/apps/web when it exists' },
    SHUTDOWN_GRACE_MS: {
      type: 'integer',
      minimum: 0,
      maximum: 60000,
      default: 8000,
      description: 'in-flight requests get this long to finish on SIGTERM',
    },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'pino log level',
    },
    // The near cache of validations (libs/session-client, docs/edge-validation.md).
    SESSION_CACHE_ENABLED: {
      type: 'boolean',
      default: true,
      description: 'serve validations from the near cache kept exact by the session change feed',
    },
    SESSION_CACHE_MAX_ENTRIES: {
      type: 'integer',
      minimum: 1,
      maximum: 10000000,
      default: 100000,
      description: 'cached validations at most (about 0.5 KB each with 200 bytes of user_data)',
    },
    SESSION_CACHE_MAX_AGE: {
      type: 'string',
      pattern: DURATION_PATTERN,
      default: '5m',
      description: 'a cached validation is asked again after this long; bounds what database edits that bypass the service leave stale',
    },
    SESSION_CACHE_REFRESH_CONCURRENCY: {
      type: 'integer',
      minimum: 0,
      maximum: 1000,
      default: 64,
      description:
        'background revalidations (refresh-ahead, not extending) of busy entries nearing the max age in flight at most; 0 turns refresh-ahead off',
    },
    SESSION_FEED_TARGETS: {
      type: 'string',
      pattern: '^\\s*([^\\s:,]+:\\d{1,5}(\\s*,\\s*[^\\s:,]+:\\d{1,5})*)?\\s*$',
      default: '',
      description:
        'comma-separated host:port of every session-service replica to take the change feed from; empty means the addresses SESSION_SERVICE_URL resolves to',
    },
    SESSION_TOUCH_INTERVAL: {
      type: 'string',
      pattern: DURATION_PATTERN,
      default: '60s',
      description:
        "a session served from the cache is reported to the service (TouchSessions) at most this often; as the service's setting",
    },
    FEED_STALE_AFTER: {
      type: 'string',
      pattern: DURATION_PATTERN,
      default: '3s',
      description: 'a feed stream with no message (heartbeats come every second) for this long is dropped and the cache emptied',
    },
  },
} as const;

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly sessionServiceUrl: string;
  readonly accountsServiceUrl: string;
  readonly accountsDeadlineMs: number;
  readonly grpcLoadBalancing: 'pick_first' | 'round_robin';
  readonly grpcDeadlineMs: number;
  /** Secret: never logged. */
  readonly grpcApiKey: string | undefined;
  readonly cookieSecure: boolean;
  readonly allowedOrigins: readonly string[];
  readonly corsOrigins: readonly string[];
  readonly createRateLimit: number;
  readonly signInRateLimit: number;
  readonly invalidTokenLimit: number;
  readonly userDataMaxBytes: number;
  readonly bodyLimitBytes: number;
  readonly trustProxy: TrustProxy;
  /** Empty: the origin a request reached (scheme and host from a trusted proxy's X-Forwarded-Proto/-Host). */
  readonly publicOrigin: string;
  readonly metrics: { readonly host: string; readonly port: number };
  readonly apiDocs: boolean;
  readonly webRoot: string;
  readonly shutdownGraceMs: number;
  readonly logLevel: string;
  readonly sessionCache: {
    readonly enabled: boolean;
    readonly maxEntries: number;
    readonly maxAgeMs: number;
    /** 0: no refresh-ahead (entries are asked again at their max age). */
    readonly refreshConcurrency: number;
    /** Empty: resolve SESSION_SERVICE_URL. */
    readonly feedTargets: readonly string[];
    readonly touchIntervalMs: number;
    readonly feedStaleAfterMs: number;
  };
}

interface RawGatewayEnv {
  GATEWAY_PORT: number;
  GATEWAY_HOST: string;
  SESSION_SERVICE_URL: string;
  ACCOUNTS_SERVICE_URL: string;
  ACCOUNTS_DEADLINE_MS: number;
  GRPC_LOAD_BALANCING: 'pick_first' | 'round_robin';
  GRPC_DEADLINE_MS: number;
  GRPC_API_KEY?: string;
  COOKIE_SECURE: boolean;
  ALLOWED_ORIGINS: string;
  CORS_ORIGINS: string;
  CREATE_RATE_LIMIT: number;
  SIGN_IN_RATE_LIMIT: number;
  INVALID_TOKEN_LIMIT: number;
  USER_DATA_MAX_BYTES: number;
  BODY_LIMIT_BYTES: number;
  TRUST_PROXY: string;
  PUBLIC_ORIGIN: string;
  GATEWAY_METRICS_PORT: number;
  GATEWAY_METRICS_HOST: string;
  API_DOCS: boolean;
  WEB_ROOT: string;
  SHUTDOWN_GRACE_MS: number;
  LOG_LEVEL: string;
  SESSION_CACHE_ENABLED: boolean;
  SESSION_CACHE_MAX_ENTRIES: number;
  SESSION_CACHE_MAX_AGE: string;
  SESSION_CACHE_REFRESH_CONCURRENCY: number;
  SESSION_FEED_TARGETS: string;
  SESSION_TOUCH_INTERVAL: string;
  FEED_STALE_AFTER: string;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses and freezes the gateway configuration; throws ConfigError listing every bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const raw = loadEnv<RawGatewayEnv>(gatewayEnvSchema, env);
  const trustProxy = parseTrustProxy(raw.TRUST_PROXY);
  const publicOrigin = parsePublicOrigin(raw.PUBLIC_ORIGIN);
  const edge = { TRUST_PROXY: trustProxy, PUBLIC_ORIGIN: publicOrigin };
  const errors = Object.entries(edge).flatMap(([name, parsed]) => ('error' in parsed ? [`  ${name}: ${parsed.error}`] : []));
  if ('error' in trustProxy || 'error' in publicOrigin) throw new ConfigError(`invalid configuration:\n${errors.join('\n')}`);
  return Object.freeze({
    port: raw.GATEWAY_PORT,
    host: raw.GATEWAY_HOST,
    sessionServiceUrl: raw.SESSION_SERVICE_URL,
    accountsServiceUrl: raw.ACCOUNTS_SERVICE_URL,
    accountsDeadlineMs: raw.ACCOUNTS_DEADLINE_MS,
    grpcLoadBalancing: raw.GRPC_LOAD_BALANCING,
    grpcDeadlineMs: raw.GRPC_DEADLINE_MS,
    grpcApiKey: raw.GRPC_API_KEY,
    cookieSecure: raw.COOKIE_SECURE,
    allowedOrigins: Object.freeze(list(raw.ALLOWED_ORIGINS)),
    corsOrigins: Object.freeze(list(raw.CORS_ORIGINS)),
    createRateLimit: raw.CREATE_RATE_LIMIT,
    signInRateLimit: raw.SIGN_IN_RATE_LIMIT,
    invalidTokenLimit: raw.INVALID_TOKEN_LIMIT,
    userDataMaxBytes: raw.USER_DATA_MAX_BYTES,
    bodyLimitBytes: raw.BODY_LIMIT_BYTES,
    trustProxy: trustProxy.value,
    publicOrigin: publicOrigin.value,
    metrics: Object.freeze({ host: raw.GATEWAY_METRICS_HOST, port: raw.GATEWAY_METRICS_PORT }),
    apiDocs: raw.API_DOCS,
    webRoot: raw.WEB_ROOT,
    shutdownGraceMs: raw.SHUTDOWN_GRACE_MS,
    logLevel: raw.LOG_LEVEL,
    sessionCache: Object.freeze({
      enabled: raw.SESSION_CACHE_ENABLED,
      maxEntries: raw.SESSION_CACHE_MAX_ENTRIES,
      maxAgeMs: parseDuration(raw.SESSION_CACHE_MAX_AGE),
      refreshConcurrency: raw.SESSION_CACHE_REFRESH_CONCURRENCY,
      feedTargets: Object.freeze(list(raw.SESSION_FEED_TARGETS)),
      touchIntervalMs: parseDuration(raw.SESSION_TOUCH_INTERVAL),
      feedStaleAfterMs: parseDuration(raw.FEED_STALE_AFTER),
    }),
  });
}
