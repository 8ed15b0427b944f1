import { checkHealth, createHealthClient, createSessionClient, SessionApi } from '@session/grpc-client';
import {
  startEmbeddedDb,
  startGateway,
  startSessionService,
  uniqueDbName,
  type EmbeddedDb,
  type GatewayProcess,
  type SessionServiceProcess,
} from '@session/testing';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { createHttpClient, type HttpClient } from './http-client';
import { BODY_LIMIT_BYTES, USER_DATA_MAX_BYTES } from './limits';

export interface PropertyStack {
  readonly db: EmbeddedDb;
  readonly service: SessionServiceProcess;
  readonly gateway: GatewayProcess;
  readonly http: HttpClient;
  readonly grpc: SessionApi;
  /** The raw `user_sessions` collection, for read-only checks of what was stored. */
  readonly sessions: Collection<Document>;
  /** Starts another gateway on the same session service (e.g. with low throttling limits). */
  startExtraGateway(env: Record<string, string>): Promise<GatewayProcess>;
  /** Fails unless both processes are still running and answering their health checks. */
  assertAlive(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One embedded database, the built session service and the built gateway,
 * started once per spec file. Throttling limits are high so that thousands
 * of generated requests from one address are judged on their content only.
 */
export async function startPropertyStack(options: { gatewayEnv?: Record<string, string> } = {}): Promise<PropertyStack> {
  const db = await startEmbeddedDb();
  const dbName = uniqueDbName('property');
  // LOG_LEVEL stays at info: both processes announce their ports in an info line.
  const limits = { USER_DATA_MAX_BYTES: String(USER_DATA_MAX_BYTES) };
  // The predictions know one limit; the smaller anonymous cap has its own specs in the session service and gateway.
  const serviceLimits = { ...limits, ANONYMOUS_USER_DATA_MAX_BYTES: String(USER_DATA_MAX_BYTES) };
  const gatewayEnv = { ...limits, BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES), CREATE_RATE_LIMIT: '100000', INVALID_TOKEN_LIMIT: '100000' };
  let service: SessionServiceProcess | undefined;
  let gateway: GatewayProcess;
  try {
    service = await startSessionService({ mongoUri: db.uri, dbName, env: serviceLimits });
    gateway = await startGateway({ sessionServiceUrl: service.address, env: { ...gatewayEnv, ...options.gatewayEnv } });
  } catch (err) {
    // A half-started stack must not outlive the spec (an orphaned database keeps Jest from exiting).
    await service?.stop();
    await db.stop({ removeData: true });
    throw err;
  }
  const extraGateways: GatewayProcess[] = [];
  const client = createSessionClient({ address: service.address });
  const health = createHealthClient(client);
  const mongo = await MongoClient.connect(db.uri);
  const http = createHttpClient(gateway.url);

  return {
    db,
    service,
    gateway,
    http,
    grpc: new SessionApi(client, 5_000),
    // A null-prototype fieldsAsRaw: the driver's default `{}` returns arrays under keys like `valueOf` as raw BSON.
    sessions: mongo.db(dbName).collection('user_sessions', { fieldsAsRaw: Object.create(null) }),
    async startExtraGateway(env) {
      const extra = await startGateway({ sessionServiceUrl: (service as SessionServiceProcess).address, env: { ...gatewayEnv, ...env } });
      extraGateways.push(extra);
      return extra;
    },
    async assertAlive() {
      expect(service.process.child.exitCode).toBeNull();
      expect(gateway.process.child.exitCode).toBeNull();
      expect(await checkHealth(health, '', 2_000)).toBe('SERVING');
      expect((await http.send({ path: '/healthz' })).status).toBe(200);
    },
    async close() {
      http.close();
      health.close();
      client.close();
      for (const extra of extraGateways) await extra.stop();
      await gateway.stop();
      await service.stop();
      await mongo
        .db(dbName)
        .dropDatabase()
        .catch(() => undefined);
      await mongo.close();
      await db.stop({ removeData: true });
    },
  };
}

/**
 * Registers the usual lifecycle in the calling describe block: one stack started before its tests,
 * both processes checked alive after each, closed at the end. The returned object stands for the
 * stack once beforeAll has run (it forwards to it), so specs use it as they would the stack itself.
 */
export function usePropertyStack(): PropertyStack {
  let stack: PropertyStack | undefined;
  beforeAll(async () => {
    stack = await startPropertyStack();
  });
  afterAll(async () => stack?.close());
  afterEach(async () => stack?.assertAlive());
  return new Proxy({} as PropertyStack, {
    get: (_target, key) => {
      if (!stack) throw new Error('the property stack is used before beforeAll started it');
      return stack[key as keyof PropertyStack];
    },
  });
}
