import { Writable } from 'node:stream';
import { loadGatewayConfig, type GatewayConfig } from '@session/config';
import {
  startAccountsService,
  startEmbeddedDb,
  startSessionService,
  uniqueDbName,
  type AccountsServiceProcess,
  type EmbeddedDb,
  type SessionServiceProcess,
} from '@session/testing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { MongoClient } from 'mongodb';
import { buildApp } from '../app';

export interface GatewayStack {
  readonly db: EmbeddedDb;
  readonly dbName: string;
  /** The running session service process (replaced by restartService). */
  readonly service: SessionServiceProcess;
  /** Starts the session service again with the same settings (same port when SESSION_SERVICE_URL fixed one). */
  restartService(): Promise<void>;
  /** The accounts service, when StackOptions.accountsEnv asked for one. */
  readonly accounts: AccountsServiceProcess | undefined;
  readonly app: FastifyInstance;
  readonly config: GatewayConfig;
  /** Every log line the gateway wrote (pino JSON). */
  readonly logs: string[];
  /** Every response the spec made through `inject`, to look for leaked tokens at the end. */
  readonly responses: { request: InjectOptions; response: LightMyRequestResponse }[];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Gateway variables on top of SESSION_SERVICE_URL (pointing at the started service) and LOG_LEVEL=debug. */
  env?: Record<string, string>;
  /** Session service variables. */
  serviceEnv?: Record<string, string>;
  /** Also start the built accounts service (on the same database and session service) with these variables. */
  accountsEnv?: Record<string, string>;
}

/** Captures pino lines in memory, so specs can assert what was (and was not) logged. */
export function logCapture(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

/**
 * A real embedded database, the built session service on it, and the
 * gateway app built in-process against that service (driven with inject).
 */
export async function startGatewayStack(options: StackOptions = {}): Promise<GatewayStack> {
  const db = await startEmbeddedDb();
  const dbName = uniqueDbName('gateway');
  const startService = () => startSessionService({ mongoUri: db.uri, dbName, env: options.serviceEnv });
  let service = await startService();
  const accounts = options.accountsEnv
    ? await startAccountsService({ mongoUri: db.uri, dbName, sessionServiceAddress: service.address, env: options.accountsEnv })
    : undefined;
  const config = loadGatewayConfig({
    SESSION_SERVICE_URL: service.address,
    ...(accounts ? { ACCOUNTS_SERVICE_URL: accounts.address } : {}),
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: string[] = [];
  const app = await buildApp(config, { logStream: logCapture(logs), webRoot: null });
  const responses: GatewayStack['responses'] = [];
  return {
    db,
    dbName,
    get service() {
      return service;
    },
    async restartService() {
      await service.stop();
      service = await startService();
    },
    accounts,
    app,
    config,
    logs,
    responses,
    async inject(request) {
      const response = await app.inject(request);
      responses.push({ request, response });
      return response;
    },
    async close() {
      await app.close();
      await accounts?.stop();
      await service.stop();
      const client = await MongoClient.connect(db.uri);
      await client.db(dbName).dropDatabase();
      await client.close();
      await db.stop({ removeData: true });
    },
  };
}

/** `name=value` of a Set-Cookie header, with its attributes split out. */
export function parseSetCookie(header: string | string[] | number | undefined): {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
} {
  const raw = Array.isArray(header) ? header[0] : String(header ?? '');
  const [pair, ...rest] = raw.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const i = part.indexOf('=');
    if (i === -1) attributes[part.toLowerCase()] = true;
    else attributes[part.slice(0, i).toLowerCase()] = part.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}
