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
  readonly writeConcern: string | number;
  /** True when no MONGODB_URI was given and the embedded database is expected. */
  readonly embedded: boolean;
}

/** MONGODB_URI, or the embedded database on EMBEDDED_DB_PORT; a numeric write concern as a number. */
export function mongoSettings(raw: RawMongoEnv): MongoSettings {
  return {
    uri: raw.MONGODB_URI ?? `mongodb://127.0.0.1:${raw.EMBEDDED_DB_PORT}/`,
    dbName: raw.MONGODB_DB,
    maxPoolSize: raw.MONGODB_MAX_POOL_SIZE,
    writeConcern: /^\d+$/.test(raw.MONGODB_WRITE_CONCERN) ? Number(raw.MONGODB_WRITE_CONCERN) : raw.MONGODB_WRITE_CONCERN,
    embedded: raw.MONGODB_URI === undefined,
  };
}
