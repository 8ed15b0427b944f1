import { freePort, waitUntil } from '@session/testing';
import { startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

const DEADLINE_MS = 500;

describe('the session service going away and coming back', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    // A fixed port, so the restarted service is where the gateway's channel looks for it.
    const port = await freePort();
    stack = await startGatewayStack({
      serviceEnv: { SESSION_SERVICE_URL: `127.0.0.1:${port}` },
      env: { GRPC_DEADLINE_MS: String(DEADLINE_MS) },
    });
  });
  afterAll(async () => stack?.close());

  it('answers 503 within the deadline while it is down, and 200 again once it is back, on the same app', async () => {
    const { token } = (await stack.inject({ method: 'POST', url: '/api/sessions', payload: {} })).json();
    const read = () => stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });
    expect((await read()).statusCode).toBe(200);
    expect((await stack.inject({ url: '/readyz' })).statusCode).toBe(200);

    await stack.service.stop();
    const started = Date.now();
    const down = await read();
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 1_000);
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'session_service_unavailable', detail: expect.not.stringContaining('ECONNREFUSED') });
    const notReady = await stack.inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await stack.inject({ url: '/healthz' })).statusCode).toBe(200);

    await stack.restartService();
    await waitUntil(async () => (await read()).statusCode === 200, {
      what: 'a read to answer 200 on the restarted service',
      intervalMs: 100,
    });
    expect((await stack.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
