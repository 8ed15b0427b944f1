import { startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

describe('session data writes (real session service)', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({
      env: { USER_DATA_MAX_BYTES: '1024', BODY_LIMIT_BYTES: '4096', ALLOWED_ORIGINS: 'http://localhost:5173' },
    });
  });
  afterAll(async () => stack?.close());

  const newToken = async (userData: object = {}) =>
    (await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: userData } })).json().token as string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const patch = (token: string, payload: unknown, headers: Record<string, string> = {}) =>
    stack.inject({
      method: 'PATCH',
      url: '/api/sessions/current/data',
      headers: { 'content-type': 'application/merge-patch+json', ...bearer(token), ...headers },
      payload: JSON.stringify(payload),
    });
  const put = (token: string, payload: unknown, headers: Record<string, string> = {}) =>
    stack.inject({
      method: 'PUT',
      url: '/api/sessions/current/data',
      headers: { ...bearer(token), ...headers },
      payload: payload as object,
    });

  it('merge-patches user_data (merge-patch+json or plain JSON) and returns the new ETag', async () => {
    const token = await newToken({ theme: 'dark', lang: 'en' });
    const first = await patch(token, { lang: null, size: 12 });
    expect(first.statusCode).toBe(200);
    expect(first.json().session).toMatchObject({ user_data: { theme: 'dark', size: 12 }, version: 1 });
    expect(first.headers).toMatchObject({ etag: 'W/"v1"', 'cache-control': 'no-store' });
    const second = await patch(token, { nested: { a: [1, 'two'] } }, { 'content-type': 'application/json; charset=utf-8' });
    expect(second.json().session.user_data).toEqual({ theme: 'dark', size: 12, nested: { a: [1, 'two'] } });
    expect(second.headers.etag).toBe('W/"v2"');
  });

  it('replaces user_data with PUT', async () => {
    const token = await newToken({ old: true });
    const res = await put(token, { user_data: { fresh: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().session.user_data).toEqual({ fresh: 1 });
    expect(res.headers.etag).toBe('W/"v1"');
  });

  it('honours If-Match: current version passes, a stale or foreign tag is 412, * always passes', async () => {
    const token = await newToken();
    expect((await patch(token, { a: 1 }, { 'if-match': 'W/"v0"' })).statusCode).toBe(200);
    const stale = await patch(token, { a: 2 }, { 'if-match': 'W/"v0"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'precondition_failed', status: 412 });
    const stalePut = await put(token, { user_data: {} }, { 'if-match': '"v0"' });
    expect(stalePut.statusCode).toBe(412);
    expect((await patch(token, { a: 3 }, { 'if-match': '"something-else"' })).statusCode).toBe(412);
    // Same values in the same order under another key: a replace must still land.
    const any = await put(token, { user_data: { b: 1 } }, { 'if-match': '*' });
    expect(any.statusCode).toBe(200);
    expect(any.headers.etag).toBe('W/"v2"');
    const current = await stack.inject({ url: '/api/sessions/current', headers: bearer(token) });
    expect(current.json().session.user_data).toEqual({ b: 1 });
  });

  it('refuses user_data over USER_DATA_MAX_BYTES with 413 before calling the service, and a body over BODY_LIMIT_BYTES with 413', async () => {
    const token = await newToken();
    const big = await put(token, { user_data: { s: 'x'.repeat(1100) } });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'payload_too_large' });
    const bigCreate = await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: { s: 'x'.repeat(1100) } } });
    expect(bigCreate.statusCode).toBe(413);
    const huge = await patch(token, { s: 'x'.repeat(5000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'payload_too_large' });
    const current = await stack.inject({ url: '/api/sessions/current', headers: bearer(token) });
    expect(current.json().session.version).toBe(0);
  });

  it('answers 415 for content types a route does not take', async () => {
    const token = await newToken();
    const text = await stack.inject({
      method: 'PATCH',
      url: '/api/sessions/current/data',
      headers: { ...bearer(token), 'content-type': 'text/plain' },
      payload: 'a=1',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'unsupported_media_type' });
    const mergeOnPut = await put(token, JSON.stringify({ user_data: {} }), { 'content-type': 'application/merge-patch+json' });
    expect(mergeOnPut.statusCode).toBe(415);
    const form = await stack.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    });
    expect(form.statusCode).toBe(415);
  });

  it('answers 400 naming the field for schema failures and bad user data', async () => {
    const token = await newToken();
    const missing = await put(token, { data: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'bad_request', field: expect.stringMatching(/^body/) });
    const notObject = await put(token, { user_data: [1, 2] });
    expect(notObject.json()).toMatchObject({ status: 400, field: 'body/user_data' });
    expect((await patch(token, [1, 2])).statusCode).toBe(400);
    expect((await patch(token, null)).statusCode).toBe(400);
    const noBody = await stack.inject({ method: 'PATCH', url: '/api/sessions/current/data', headers: bearer(token) });
    expect(noBody.json()).toMatchObject({ status: 400, code: 'bad_request' });
    expect((await stack.inject({ method: 'PUT', url: '/api/sessions/current/data', headers: bearer(token) })).statusCode).toBe(400);
    const nullCreate = await stack.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { 'content-type': 'application/json' },
      payload: 'null',
    });
    expect(nullCreate.statusCode).toBe(400);
    const badJson = await stack.inject({
      method: 'PATCH',
      url: '/api/sessions/current/data',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(badJson.json()).toMatchObject({ status: 400, code: 'bad_request' });
    const dollar = await patch(token, { $where: 'x' });
    expect(dollar.json()).toMatchObject({ status: 400, code: 'invalid_user_data' });
    let deep: object = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect((await put(token, { user_data: deep })).json()).toMatchObject({ status: 400, code: 'invalid_user_data' });
    const extra = await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: {}, admin: true } });
    expect(extra.json()).toMatchObject({ status: 400, code: 'bad_request' });
    const current = await stack.inject({ url: '/api/sessions/current', headers: bearer(token) });
    expect(current.json().session).toMatchObject({ version: 0, user_data: {} });
  });

  describe('cookie-authenticated writes from other origins (CSRF)', () => {
    let token: string;
    beforeAll(async () => {
      token = await newToken();
    });
    const cookiePatch = (headers: Record<string, string>) =>
      stack.inject({
        method: 'PATCH',
        url: '/api/sessions/current/data',
        cookies: { session: token },
        headers: { 'content-type': 'application/json', ...headers },
        payload: { n: 1 },
      });

    it('refuses a foreign Origin or a cross-site fetch with 403 forbidden_origin', async () => {
      const foreign = await cookiePatch({ origin: 'https://evil.example' });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toMatchObject({ code: 'forbidden_origin' });
      expect((await cookiePatch({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      const logout = await stack.inject({
        method: 'DELETE',
        url: '/api/sessions/current',
        cookies: { session: token },
        headers: { origin: 'https://evil.example' },
      });
      expect(logout.statusCode).toBe(403);
      const touch = await stack.inject({
        method: 'POST',
        url: '/api/sessions/current/touch',
        cookies: { session: token },
        headers: { origin: 'null' },
      });
      expect(touch.statusCode).toBe(403);
      const create = await stack.inject({
        method: 'POST',
        url: '/api/sessions',
        cookies: { session: token },
        headers: { origin: 'https://evil.example' },
        payload: {},
      });
      expect(create.statusCode).toBe(403);
    });

    it('allows its own origin, ALLOWED_ORIGINS, bearer requests and creates from API clients', async () => {
      expect((await cookiePatch({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
      expect((await cookiePatch({ origin: 'http://localhost:5173' })).statusCode).toBe(200);
      const viaBearer = await stack.inject({
        method: 'PATCH',
        url: '/api/sessions/current/data',
        headers: { ...bearer(token), origin: 'https://evil.example', 'content-type': 'application/json' },
        payload: { n: 2 },
      });
      expect(viaBearer.statusCode).toBe(200);
      // No Origin, no Sec-Fetch-Site: not a browser, so no visitor's page can be behind it.
      const create = await stack.inject({ method: 'POST', url: '/api/sessions', payload: {} });
      expect(create.statusCode).toBe(201);
      // Reads are not state-changing: a cross-site GET with the cookie still works.
      const read = await stack.inject({
        url: '/api/sessions/current',
        cookies: { session: token },
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(read.json().session.user_data).toEqual({ n: 2 });
    });
  });
});
