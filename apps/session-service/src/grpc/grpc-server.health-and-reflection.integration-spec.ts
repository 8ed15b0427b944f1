import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { checkHealth, createHealthClient } from '@session/grpc-client';
import { jsonToStruct } from '@session/proto';
import { waitUntil } from '@session/testing';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

const REFLECTION_PROTO = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');

const waitForStatus = (read: () => Promise<string>, wanted: string) =>
  waitUntil(async () => (await read()) === wanted, { what: `the health check to answer ${wanted}`, intervalMs: 100 });

describe('health and reflection from plain clients', () => {
  let t: TestService;
  let healthClient: ReturnType<typeof createHealthClient>;
  beforeAll(async () => {
    t = await startTestService({ healthIntervalMs: 200, env: { GRPC_REFLECTION: 'true' } });
    healthClient = createHealthClient(t.api.client);
  });
  afterAll(async () => {
    healthClient.close();
    await t.close();
  });

  it('lists the services through server reflection', async () => {
    const def = grpc.loadPackageDefinition(loadSync(REFLECTION_PROTO, { keepCase: true })) as never as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    const client = new def.grpc.reflection.v1.ServerReflection(t.address, grpc.credentials.createInsecure());
    const names = await new Promise<string[]>((resolve, reject) => {
      const call = client.ServerReflectionInfo();
      call.on('data', (res: { list_services_response?: { service: { name: string }[] } }) => {
        resolve(res.list_services_response!.service.map((s) => s.name));
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '' });
    });
    client.close();
    expect(names).toEqual(expect.arrayContaining(['session.v1.SessionService', 'grpc.health.v1.Health']));
  });

  it('is SERVING with the database, NOT_SERVING without it, and SERVING again after a restart', async () => {
    const read = () => checkHealth(healthClient, 'session.v1.SessionService', 1_000);
    expect(await read()).toBe('SERVING');
    expect(await checkHealth(healthClient, '', 1_000)).toBe('SERVING');

    await t.db.stop();
    await waitForStatus(read, 'NOT_SERVING');
    expect(t.logs()).toContain('database unreachable: not serving');
    const down = await failureOf(t.api.createSession({ user_data: jsonToStruct({}) }, { timeoutMs: 5_000 }));
    expect(down).toMatchObject({ code: grpc.status.UNAVAILABLE, errorCode: 'session_service_unavailable' });
    expect(down.details).not.toMatch(/mongo|127\.0\.0\.1|ECONNREFUSED/i);

    await t.db.restart();
    await waitForStatus(read, 'SERVING');
    expect((await t.api.createSession({})).token).toBeTruthy();
  });

  it('goes NOT_SERVING for good once stopped', async () => {
    t.monitor.stop();
    expect(await checkHealth(healthClient, '', 1_000)).toBe('NOT_SERVING');
    await t.monitor.check();
    expect(await checkHealth(healthClient, '', 1_000)).toBe('NOT_SERVING');
  });
});
