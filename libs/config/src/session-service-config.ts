import { DURATION_PATTERN, parseDuration } from './duration';
import type { GrpcCaller } from './grpc-callers';
import { grpcListenSettings } from './grpc-listen-settings';
import { deepFreeze } from './deep-freeze';
import { ConfigError, loadEnv } from './load-env';
import { mongoEnvProperties, mongoSettings, type MongoSettings, type RawMongoEnv } from './mongo-settings';

const duration = (fallback: string, description: string) => ({ type: 'string', pattern: DURATION_PATTERN, default: fallback, description });

/** Every variable the session service reads; docker-compose and the README are checked against it. */
export const sessionServiceEnvSchema = {
  type: 'object',
  required: [],
  properties: {
    ...mongoEnvProperties({ poolDefault: 20, dbDescription: 'database name' }),
    MONGODB_READ_PREFERENCE: {
      type: 'string',
      enum: ['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'],
      default: 'primary',
      description: 'read preference for lookups',
    },
    SESSION_SERVICE_URL: {
      type: 'string',
      pattern: '^[^\\s:]+:\\d{1,5}$',
      default: '127.0.0.1:50051',
      description: 'gRPC listen address host:port (port 0 picks a free one); a non-loopback host needs GRPC_CALLERS',
    },
    GRPC_CALLERS: {
      type: 'string',
      default: '',
      description: 'callers and the RPCs each may call: name=Rpc,Rpc;name2=Rpc (docs/grpc-callers.md); empty accepts only loopback peers',
    },
    GRPC_CALLER_KEY_HASHES: {
      type: 'string',
      default: '',
      description: "SHA-256 (hex) of each caller's API key, two during a rotation: name=hash[,hash];name2=hash",
    },
    GRPC_REFLECTION: {
      type: 'boolean',
      default: false,
      description: 'serve gRPC server reflection (for grpcurl); subject to the same caller rules',
    },
    METRICS_PORT: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 9464,
      description: 'Prometheus /metrics port of the session service (0 picks a free one)',
    },
    METRICS_HOST: { type: 'string', default: '127.0.0.1', description: 'address the metrics endpoint binds to' },
    SESSION_IDLE_TTL: duration('7d', 'sliding idle timeout'),
    SESSION_ABSOLUTE_TTL: duration('30d', 'absolute lifetime from creation'),
    SESSION_ORPHAN_TTL: duration(
      '24h',
      'anonymous sessions never used after their creation are removed this long after it, whatever their data',
    ),
    SESSION_TOUCH_INTERVAL: duration('60s', 'validation writes the new idle expiry at most this often per session'),
    SESSION_REVOKED_RETENTION: duration('1h', 'revoked sessions are kept this long before the sweeper removes them'),
    SWEEP_INTERVAL: duration('60s', 'how often the sweeper runs'),
    SWEEP_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 10000, default: 500, description: 'documents removed per sweeper batch' },
    USER_DATA_MAX_BYTES: { type: 'integer', minimum: 2, maximum: 1048576, default: 16384, description: 'largest serialized user_data' },
    ANONYMOUS_USER_DATA_MAX_BYTES: {
      type: 'integer',
      minimum: 2,
      maximum: 1048576,
      default: 1024,
      description: 'largest serialized user_data of a session not bound to a user (capped at USER_DATA_MAX_BYTES)',
    },
    SESSION_BROWSER_ABSOLUTE_TTL: duration(
      '12h',
      'absolute lifetime of a session bound without remember_me, from the bind (never beyond SESSION_ABSOLUTE_TTL from creation)',
    ),
    SESSION_MAX_PER_USER: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 10,
      description: 'live sessions a user may have; a bind beyond it revokes the least recently seen ones (docs/session-features.md)',
    },
    SESSION_CLAIMS_MAX_BYTES: {
      type: 'integer',
      minimum: 2,
      maximum: 65536,
      default: 2048,
      description: 'largest serialized claims (BindUser, SetSessionClaims)',
    },
    DEVICE_ADDRESS_STORAGE: {
      type: 'string',
      enum: ['truncated', 'full', 'none'],
      default: 'truncated',
      description: 'how a session stores its client address: truncated (IPv4 /24, IPv6 /48), full, or none',
    },
    FEED_HEARTBEAT_INTERVAL: duration(
      '1s',
      'an idle change feed stream (WatchSessionChanges) gets a HEARTBEAT this often; subscribers give up after missing about three',
    ),
    FEED_BUFFER_SIZE: {
      type: 'integer',
      minimum: 1,
      maximum: 1000000,
      default: 10000,
      description:
        'change feed messages held for a subscriber that is not reading; one more ends its stream (RESOURCE_EXHAUSTED) and it starts over',
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

/** How a session keeps the client address it was created or bound from. */
export type DeviceAddressStorage = 'truncated' | 'full' | 'none';

interface RawSessionServiceEnv extends RawMongoEnv {
  MONGODB_READ_PREFERENCE: 'primary' | 'primaryPreferred' | 'secondary' | 'secondaryPreferred' | 'nearest';
  SESSION_SERVICE_URL: string;
  GRPC_CALLERS: string;
  GRPC_CALLER_KEY_HASHES: string;
  GRPC_REFLECTION: boolean;
  METRICS_PORT: number;
  METRICS_HOST: string;
  SESSION_IDLE_TTL: string;
  SESSION_ABSOLUTE_TTL: string;
  SESSION_ORPHAN_TTL: string;
  SESSION_TOUCH_INTERVAL: string;
  SESSION_REVOKED_RETENTION: string;
  SWEEP_INTERVAL: string;
  SWEEP_BATCH_SIZE: number;
  USER_DATA_MAX_BYTES: number;
  ANONYMOUS_USER_DATA_MAX_BYTES: number;
  SESSION_BROWSER_ABSOLUTE_TTL: string;
  SESSION_MAX_PER_USER: number;
  SESSION_CLAIMS_MAX_BYTES: number;
  DEVICE_ADDRESS_STORAGE: DeviceAddressStorage;
  FEED_HEARTBEAT_INTERVAL: string;
  FEED_BUFFER_SIZE: number;
  SHUTDOWN_GRACE: string;
  LOG_LEVEL: string;
}

export interface SessionServiceConfig {
  readonly mongo: MongoSettings & { readonly readPreference: RawSessionServiceEnv['MONGODB_READ_PREFERENCE'] };
  readonly grpc: {
    readonly host: string;
    readonly port: number;
    /** Empty: no API keys, only loopback peers are served. */
    readonly callers: readonly GrpcCaller[];
    readonly reflection: boolean;
  };
  readonly metrics: { readonly host: string; readonly port: number };
  readonly session: {
    readonly idleTtlMs: number;
    readonly absoluteTtlMs: number;
    readonly orphanTtlMs: number;
    readonly touchIntervalMs: number;
    readonly revokedRetentionMs: number;
    readonly userDataMaxBytes: number;
    /** Never above userDataMaxBytes: an anonymous session costs its creator one request, so it may hold less. */
    readonly anonymousUserDataMaxBytes: number;
    /** Absolute lifetime of a session bound without remember_me, counted from the bind. */
    readonly browserAbsoluteTtlMs: number;
    readonly maxPerUser: number;
    readonly claimsMaxBytes: number;
    readonly deviceAddressStorage: DeviceAddressStorage;
  };
  readonly sweeper: { readonly intervalMs: number; readonly batchSize: number };
  readonly feed: { readonly heartbeatIntervalMs: number; readonly bufferSize: number };
  readonly shutdownGraceMs: number;
  readonly logLevel: string;
}

/** Parses and freezes the session service configuration; throws ConfigError listing every bad variable. */
export function loadSessionServiceConfig(env: NodeJS.ProcessEnv): SessionServiceConfig {
  const raw = loadEnv<RawSessionServiceEnv>(sessionServiceEnvSchema, env);
  // Without callers nobody is authenticated: reachable from other hosts, anyone could bind or revoke any session.
  const { settings: grpc, problems } = grpcListenSettings({
    urlVariable: 'SESSION_SERVICE_URL',
    url: raw.SESSION_SERVICE_URL,
    GRPC_CALLERS: raw.GRPC_CALLERS,
    GRPC_CALLER_KEY_HASHES: raw.GRPC_CALLER_KEY_HASHES,
  });
  // Zero would send heartbeats back to back on every idle stream.
  if (parseDuration(raw.FEED_HEARTBEAT_INTERVAL) < 10) problems.push('FEED_HEARTBEAT_INTERVAL: must be at least 10ms');
  // Zero would end every session bound without remember_me at the moment of its bind.
  if (parseDuration(raw.SESSION_BROWSER_ABSOLUTE_TTL) < 1_000) problems.push('SESSION_BROWSER_ABSOLUTE_TTL: must be at least 1s');
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const config: SessionServiceConfig = {
    mongo: { ...mongoSettings(raw), readPreference: raw.MONGODB_READ_PREFERENCE },
    grpc: { ...grpc, reflection: raw.GRPC_REFLECTION },
    metrics: { host: raw.METRICS_HOST, port: raw.METRICS_PORT },
    session: {
      idleTtlMs: parseDuration(raw.SESSION_IDLE_TTL),
      absoluteTtlMs: parseDuration(raw.SESSION_ABSOLUTE_TTL),
      orphanTtlMs: parseDuration(raw.SESSION_ORPHAN_TTL),
      touchIntervalMs: parseDuration(raw.SESSION_TOUCH_INTERVAL),
      revokedRetentionMs: parseDuration(raw.SESSION_REVOKED_RETENTION),
      userDataMaxBytes: raw.USER_DATA_MAX_BYTES,
      anonymousUserDataMaxBytes: Math.min(raw.ANONYMOUS_USER_DATA_MAX_BYTES, raw.USER_DATA_MAX_BYTES),
      browserAbsoluteTtlMs: parseDuration(raw.SESSION_BROWSER_ABSOLUTE_TTL),
      maxPerUser: raw.SESSION_MAX_PER_USER,
      claimsMaxBytes: raw.SESSION_CLAIMS_MAX_BYTES,
      deviceAddressStorage: raw.DEVICE_ADDRESS_STORAGE,
    },
    sweeper: { intervalMs: parseDuration(raw.SWEEP_INTERVAL), batchSize: raw.SWEEP_BATCH_SIZE },
    feed: { heartbeatIntervalMs: parseDuration(raw.FEED_HEARTBEAT_INTERVAL), bufferSize: raw.FEED_BUFFER_SIZE },
    shutdownGraceMs: parseDuration(raw.SHUTDOWN_GRACE),
    logLevel: raw.LOG_LEVEL,
  };
  return deepFreeze(config);
}
