import { grpcCalls, startEdgeStack, type EdgeStack, type ListeningGateway } from '../testing/edge-stack';

// What Chromium sends for `fetch(url, {method: 'POST', mode: 'no-cors'})` from a third-party page
// (no body, so no Content-Type), and for a cross-site HTML form post.
const NO_CORS_FROM_THIRD_PARTY = {
  origin: 'https://evil.example',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
};
const FORM_FROM_THIRD_PARTY = {
  origin: 'https://evil.example',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'content-type': 'application/x-www-form-urlencoded',
};

describe('session creation from other sites (outside clients, real session service)', () => {
  let edge: EdgeStack;
  let gateway: ListeningGateway;
  beforeAll(async () => {
    edge = await startEdgeStack();
    gateway = await edge.listen({ ALLOWED_ORIGINS: 'http://localhost:5173' });
  });
  afterAll(async () => edge?.close());

  const post = (headers: Record<string, string>, body?: string) => fetch(`${gateway.url}/api/sessions`, { method: 'POST', headers, body });
  const creates = () => grpcCalls(gateway.metricsUrl, 'CreateSession');

  it('refuses a cookie-less no-cors POST from a third-party page with 403 forbidden_origin, minting nothing', async () => {
    const before = await creates();
    const res = await post(NO_CORS_FROM_THIRD_PARTY);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 403, code: 'forbidden_origin' });
    expect(res.headers.get('set-cookie')).toBeNull();
    // Older browsers without Sec-Fetch-* still send Origin; a sandboxed frame sends "null".
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(FORM_FROM_THIRD_PARTY, 'user_data=x')).status).toBeGreaterThanOrEqual(400);
    expect(await creates()).toBe(before);
  });

  it('creates for its own pages, ALLOWED_ORIGINS and API clients', async () => {
    const before = await creates();
    expect((await post({ origin: gateway.url, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' })).status).toBe(201);
    expect((await post({ origin: 'http://localhost:5173' })).status).toBe(201);
    expect((await post({ 'content-type': 'application/json' }, '{"user_data":{"theme":"dark"}}')).status).toBe(201);
    expect(await creates()).toBe(before + 3);
  });

  it('refuses a Cookie header carrying the session cookie twice with 400 duplicate_session_cookie, before any gRPC call', async () => {
    const created = await post({});
    const { token } = (await created.json()) as { token: string };
    const validations = await grpcCalls(gateway.metricsUrl, 'ValidateSession');
    // What a browser sends when a sibling subdomain planted `session` with Domain= on the parent.
    const planted = `session=${token}; theme=dark; session=0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'P'.repeat(43)}`;
    const read = await fetch(`${gateway.url}/api/sessions/current`, { headers: { cookie: planted } });
    expect(read.status).toBe(400);
    expect(await read.json()).toMatchObject({ code: 'duplicate_session_cookie' });
    const write = await fetch(`${gateway.url}/api/sessions/current/data`, {
      method: 'PATCH',
      headers: { cookie: planted, origin: gateway.url, 'content-type': 'application/json' },
      body: '{"hijacked":true}',
    });
    expect(write.status).toBe(400);
    expect((await post({ cookie: planted })).status).toBe(400);
    expect(await grpcCalls(gateway.metricsUrl, 'ValidateSession')).toBe(validations);
    // One copy, as usual, still works and shows nothing was written.
    const own = await fetch(`${gateway.url}/api/sessions/current`, { headers: { cookie: `session=${token}; theme=dark` } });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { session: { user_data: object } }).session.user_data).toEqual({});
  });
});
