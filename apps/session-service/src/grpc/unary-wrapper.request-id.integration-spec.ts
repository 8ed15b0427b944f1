import { startTestService, type TestService } from '../testing/test-service';

// The gateway and the service once kept different ids (the service also took ':'); both now use isValidRequestId.
describe('x-request-id over a real server', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => t?.close());

  it('logs a plain caller id as sent, and replaces one outside the shared rule with a fresh UUID', async () => {
    await t.api.createSession({}, { requestId: 'trace-1.2_3' });
    await t.api.createSession({}, { requestId: 'tenant:42' });
    const created = t
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"session created"'))
      .map((line) => (JSON.parse(line) as { requestId: string }).requestId);
    expect(created).toHaveLength(2);
    expect(created[0]).toBe('trace-1.2_3');
    expect(created[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(t.logs()).not.toContain('tenant:42');
  });
});
