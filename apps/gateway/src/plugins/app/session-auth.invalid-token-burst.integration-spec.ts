import { grpcCalls, startEdgeStack, type EdgeStack, type ListeningGateway } from '../../testing/edge-stack';

const LIMIT = 30;
// Well-formed (so each one would be worth a gRPC call) and unknown to the service.
const tokenNo = (i: number) => `0b6f7b4e-93c5-4c8e-9d4f-${String(i).padStart(12, '0')}.${'A'.repeat(43)}`;

describe('invalid-token throttle under a concurrent burst (outside clients, real session service)', () => {
  let edge: EdgeStack;
  let gateway: ListeningGateway;
  beforeAll(async () => {
    edge = await startEdgeStack();
    gateway = await edge.listen({ INVALID_TOKEN_LIMIT: String(LIMIT) });
  });
  afterAll(async () => edge?.close());

  it(`lets at most INVALID_TOKEN_LIMIT (${LIMIT}) of 300 simultaneous bad tokens reach the session service; the rest get 429`, async () => {
    const before = await grpcCalls(gateway.metricsUrl, 'ValidateSession');
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const res = await fetch(`${gateway.url}/api/sessions/current`, { headers: { authorization: `Bearer ${tokenNo(i)}` } });
        return { status: res.status, body: (await res.json()) as { code: string }, retryAfter: res.headers.get('retry-after') };
      }),
    );
    const reached = (await grpcCalls(gateway.metricsUrl, 'ValidateSession')) - before;
    const unauthorized = answers.filter((a) => a.status === 401);
    const limited = answers.filter((a) => a.status === 429);
    expect(reached).toBeLessThanOrEqual(LIMIT);
    expect(unauthorized.length).toBe(reached);
    expect(unauthorized.length + limited.length).toBe(300);
    for (const a of limited) {
      expect(a.body.code).toBe('rate_limited');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }

    // The failures now fill the window: one more bad token is refused without a call.
    const after = await fetch(`${gateway.url}/api/sessions/current`, { headers: { authorization: `Bearer ${tokenNo(301)}` } });
    expect(after.status).toBe(429);
    expect(await grpcCalls(gateway.metricsUrl, 'ValidateSession')).toBe(before + reached);
  });

  it('frees the slots of valid tokens: a burst of good requests from one address is not throttled', async () => {
    const fresh = await edge.listen({ INVALID_TOKEN_LIMIT: '5' });
    const { token } = (await (await fetch(`${fresh.url}/api/sessions`, { method: 'POST' })).json()) as { token: string };
    // Sequential rounds of five concurrent reads: each round fills every slot, and each answer frees its own.
    for (let round = 0; round < 8; round++) {
      const statuses = await Promise.all(
        Array.from(
          { length: 5 },
          async () => (await fetch(`${fresh.url}/api/sessions/current`, { headers: { authorization: `Bearer ${token}` } })).status,
        ),
      );
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    }
  });
});
