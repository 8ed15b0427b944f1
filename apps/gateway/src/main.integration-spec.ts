import {
  gatewayBundle,
  startEmbeddedDb,
  startGateway,
  startProcess,
  startSessionService,
  uniqueDbName,
  type EmbeddedDb,
  type GatewayProcess,
  type SessionServiceProcess,
} from '@session/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';

describe('the built gateway process', () => {
  let db: EmbeddedDb;
  let service: SessionServiceProcess;
  let gateway: GatewayProcess | undefined;
  const dbName = uniqueDbName('gateway_main');
  const webRoot = mkdtempSync(join(tmpdir(), 'gateway-main-web-'));

  beforeAll(async () => {
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>session demo</title>');
    db = await startEmbeddedDb();
    service = await startSessionService({ mongoUri: db.uri, dbName });
  });
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await service?.stop();
    const client = await MongoClient.connect(db.uri);
    await client.db(dbName).dropDatabase();
    await client.close();
    await db.stop({ removeData: true });
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('listens on a free port, serves sessions, and shuts down cleanly on SIGTERM', async () => {
    gateway = await startGateway({ sessionServiceUrl: service.address, env: { WEB_ROOT: webRoot } });
    expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}`);
    expect(gateway.process.output()).toMatch(/"msg":"gateway listening"/);

    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    const page = await fetch(`${gateway.url}/`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<title>session demo</title>');
    const created = await fetch(`${gateway.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'main-spec-1' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    expect(created.headers.get('set-cookie')).toMatch(/^session=.+; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    const current = await fetch(`${gateway.url}/api/sessions/current`, { headers: { cookie: `session=${token}` } });
    expect(current.status).toBe(200);

    expect(await gateway.stop('SIGTERM')).toBe(0);
    const output = gateway.process.output();
    expect(output).toContain('"requestId":"main-spec-1"');
    expect(output).toContain('"msg":"shutting down"');
    expect(output).not.toContain(token.split('.')[1]);
    gateway = undefined;
  });

  it('prints every bad variable and exits 1 on invalid configuration', async () => {
    const proc = startProcess(process.execPath, [gatewayBundle()], {
      env: { ...process.env, GATEWAY_PORT: 'x', GRPC_LOAD_BALANCING: 'random' },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('GATEWAY_PORT');
    expect(proc.output()).toContain('GRPC_LOAD_BALANCING');
  });

  it('refuses at start a near cache larger than its heap ceiling allows, instead of running out of memory when it fills', async () => {
    const proc = startProcess(process.execPath, ['--max-old-space-size=128', gatewayBundle()], {
      env: { ...process.env, SESSION_SERVICE_URL: service.address, GATEWAY_PORT: '0', SESSION_CACHE_MAX_ENTRIES: '1000000' },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/SESSION_CACHE_MAX_ENTRIES: 1000000 entries may need about \d+ MiB of heap/);
    expect(proc.output()).toContain('--max-old-space-size');
  });
});
