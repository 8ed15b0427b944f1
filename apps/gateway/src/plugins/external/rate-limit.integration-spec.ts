import { startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

const UNKNOWN_TOKEN = `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'A'.repeat(43)}`;

describe('rate limits (real session service)', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { CREATE_RATE_LIMIT: '3', INVALID_TOKEN_LIMIT: '3' } });
  });
  afterAll(async () => stack?.close());

  const grpcCount = async (method: string, code: string) => {
    const text = await stack.app.metrics.registry.metrics();
    const m = new RegExp(`grpc_client_calls_total\\{method="${method}",code="${code}"\\} (\\d+)`).exec(text);
    return m ? Number(m[1]) : 0;
  };

  it('allows CREATE_RATE_LIMIT creates a minute per address, then 429 with Retry-After', async () => {
    const from = (remoteAddress: string) => stack.inject({ method: 'POST', url: '/api/sessions', payload: {}, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.1')).statusCode).toBe(201);
    const limited = await from('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await from('10.0.0.2')).statusCode).toBe(201);
  });

  it('throttles an address that keeps presenting invalid tokens, without calling the service', async () => {
    const probe = (remoteAddress: string, token = UNKNOWN_TOKEN) =>
      stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` }, remoteAddress });
    const before = await grpcCount('ValidateSession', 'UNAUTHENTICATED');
    expect((await probe('10.0.1.1')).statusCode).toBe(401);
    expect((await probe('10.0.1.1', 'junk')).statusCode).toBe(401); // malformed tokens count too
    expect((await probe('10.0.1.1')).statusCode).toBe(401);
    const throttled = await probe('10.0.1.1');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(await grpcCount('ValidateSession', 'UNAUTHENTICATED')).toBe(before + 2);

    // Even a valid token waits out the window from that address; other addresses are unaffected.
    const { token } = (await stack.inject({ method: 'POST', url: '/api/sessions', payload: {}, remoteAddress: '10.0.1.9' })).json();
    expect((await probe('10.0.1.1', token)).statusCode).toBe(429);
    expect((await probe('10.0.1.2', token)).statusCode).toBe(200);
    // Creating a fresh session (no token) stays possible for the throttled address.
    expect((await stack.inject({ method: 'POST', url: '/api/sessions', payload: {}, remoteAddress: '10.0.1.1' })).statusCode).toBe(201);
  });

  it('does not count requests that present no token', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await stack.inject({ url: '/api/sessions/current', remoteAddress: '10.0.2.1' })).statusCode).toBe(401);
    }
  });
});
