import { request } from 'node:http';
import { checkHealth, createHealthClient, createSessionClient, SessionApi } from '@session/grpc-client';
import {
  freePort,
  startEmbeddedDb,
  startProcess,
  startSessionService,
  uniqueDbName,
  sessionServiceBundle,
  type EmbeddedDb,
  type SessionServiceProcess,
} from '@session/testing';
import { MongoClient } from 'mongodb';

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the built session service process', () => {
  let db: EmbeddedDb;
  let service: SessionServiceProcess | undefined;
  const dbName = uniqueDbName('main');

  beforeAll(async () => {
    db = await startEmbeddedDb();
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    const client = await MongoClient.connect(db.uri);
    await client.db(dbName).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
  });

  it('serves sessions, health and metrics, and exits 0 on SIGTERM', async () => {
    service = await startSessionService({ mongoUri: db.uri, dbName });
    expect(service.address).toBe(`127.0.0.1:${service.port}`);
    const api = new SessionApi(createSessionClient({ address: service.address }));
    try {
      const created = await api.createSession({}, { requestId: 'main-spec-1' });
      const validated = await api.validateSession({ token: created.token });
      expect(validated.session?.session_id).toBe(created.session?.session_id);
      expect(await checkHealth(createHealthClient(api.client), 'session.v1.SessionService')).toBe('SERVING');
    } finally {
      api.close();
    }

    const metrics = await httpGet(service.metricsPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('sessions_created_total 1');
    expect(metrics.body).toMatch(/grpc_server_handled_total\{method="ValidateSession",code="OK"\} 1/);
    expect((await httpGet(service.metricsPort, '/other')).status).toBe(404);

    const output = service.process.output();
    expect(output).toContain('"requestId":"main-spec-1"');
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(service.process.output()).toContain('"msg":"session service stopped"');
    service = undefined;
  });

  it('prints every bad variable and exits 1 on invalid configuration', async () => {
    const proc = startProcess(process.execPath, [sessionServiceBundle()], {
      env: { ...process.env, SESSION_IDLE_TTL: 'soon', SWEEP_BATCH_SIZE: '0' },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('SESSION_IDLE_TTL');
    expect(proc.output()).toContain('SWEEP_BATCH_SIZE');
  });

  it('waits for a database that starts after it, then listens', async () => {
    const port = await freePort();
    const proc = startProcess(process.execPath, [sessionServiceBundle()], {
      env: {
        ...process.env,
        MONGODB_URI: `mongodb://127.0.0.1:${port}/`,
        MONGODB_DB: dbName,
        SESSION_SERVICE_URL: '127.0.0.1:0',
        METRICS_PORT: '0',
      },
    });
    let late: EmbeddedDb | undefined;
    try {
      await proc.waitForLine(/database not ready; retrying/, 15_000);
      late = await startEmbeddedDb({ port });
      const [line] = await proc.waitForLine(/^\{.*"msg":"session service listening".*\}$/, 15_000);
      const api = new SessionApi(createSessionClient({ address: `127.0.0.1:${(JSON.parse(line) as { port: number }).port}` }));
      expect((await api.createSession({})).token).toBeTruthy();
      api.close();
      expect(await proc.stop()).toBe(0);
    } finally {
      await proc.stop('SIGKILL');
      await late?.stop({ removeData: true });
    }
  });
});
