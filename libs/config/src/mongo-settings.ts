/**
 * The schema entries of the database variables both back-end services read, written once; each
 * service names its pool default (the session service serves far more calls per replica) and what
 * its database holds.
 */
export function mongoEnvProperties(options: { readonly poolDefault: number; readonly dbDescription: string }) {
  return {
    MONGODB_URI: {
      type: 'string',
      pattern: '^mongodb(\\+srv)?://',
      description: 'MongoDB connection string; unset means the embedded database on EMBEDDED_DB_PORT',
    },
    EMBEDDED_DB_PORT: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: 27017,
      description: 'port of the embedded database when MONGODB_URI is unset',
    },
    MONGODB_DB: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,63}$', default: 'sessions', description: options.dbDescription },
    MONGODB_MAX_POOL_SIZE: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: options.poolDefault,
      description: 'driver connection pool size per replica',
    },
    MONGODB_WRITE_CONCERN: { type: 'string', pattern: '^(majority|\\d+)$', default: 'majority', description: 'write concern w' },
  } as const;
}

/** The database variables both back-end services read, as their schemas return them. */
export interface RawMongoEnv {
  MONGODB_URI?: string;
  EMBEDDED_DB_PORT: number;
  MONGODB_DB: string;
  MONGODB_MAX_POOL_SIZE: number;
  MONGODB_WRITE_CONCERN: string;
}

export interface MongoSettings {
  readonly uri: string;
  readonly dbName: string;
  readonly maxPoolSize: number;
  /** `w`: the schema admits only "majority" or a number of members. */
  readonly writeConcern: 'majority' | number;
  /** True when no MONGODB_URI was given and the embedded database is expected. */
  readonly embedded: boolean;
}

/** MONGODB_URI, or the embedded database on EMBEDDED_DB_PORT; a numeric write concern as a number. */
export function mongoSettings(raw: RawMongoEnv): MongoSettings {
  return {
    uri: raw.MONGODB_URI ?? `mongodb://127.0.0.1:${raw.EMBEDDED_DB_PORT}/`,
    dbName: raw.MONGODB_DB,
    maxPoolSize: raw.MONGODB_MAX_POOL_SIZE,
    writeConcern: raw.MONGODB_WRITE_CONCERN === 'majority' ? 'majority' : Number(raw.MONGODB_WRITE_CONCERN),
    embedded: raw.MONGODB_URI === undefined,
  };
}

/**
 * The driver options both services open their client with (plain values, so this lib needs no
 * driver). Callers wait about 2 s (the gateway's gRPC deadline): an operation waiting for a server
 * must give up well before that, so the caller hears UNAVAILABLE (503), not its own timeout (504).
 */
export function mongoClientOptions(settings: MongoSettings, appName: string) {
  return {
    appName,
    maxPoolSize: settings.maxPoolSize,
    writeConcern: { w: settings.writeConcern },
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 3_000,
  };
}
