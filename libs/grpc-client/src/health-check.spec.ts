import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { createSessionClient } from './create-session-client';
import { checkHealth, createHealthClient } from './health-check';

describe('health check over the session client channel', () => {
  const server = new grpc.Server();
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  let port = 0;

  beforeAll(async () => {
    health.addToServer(server);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
  });
  afterAll(() => server.forceShutdown());

  it('reports the server status as it changes', async () => {
    const client = createSessionClient({ address: `127.0.0.1:${port}` });
    const healthClient = createHealthClient(client);
    expect(await checkHealth(healthClient)).toBe('NOT_SERVING');
    health.setStatus('', 'SERVING');
    expect(await checkHealth(healthClient)).toBe('SERVING');
    client.close();
  });

  it('fails within the deadline when nothing listens', async () => {
    const client = createSessionClient({ address: '127.0.0.1:1', roundRobin: true });
    const started = Date.now();
    const err = await checkHealth(createHealthClient(client), '', 300).catch((e: grpc.ServiceError) => e);
    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]).toContain((err as grpc.ServiceError).code);
    expect(Date.now() - started).toBeLessThan(2_000);
    client.close();
  });
});
