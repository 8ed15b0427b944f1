import { waitUntil } from '@session/testing';
import { parseSetCookie, startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

describe('current session over cookie and bearer (real session service)', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack();
  });
  afterAll(async () => stack?.close());

  const create = async (payload: object = {}, headers: Record<string, string> = {}) => {
    const res = await stack.inject({ method: 'POST', url: '/api/sessions', payload, headers });
    expect(res.statusCode).toBe(201);
    return { res, token: res.json().token as string, session: res.json().session, cookie: parseSetCookie(res.headers['set-cookie']) };
  };

  it('creates a session and sets a persistent HttpOnly Lax cookie until the absolute expiry', async () => {
    const { res, token, session, cookie } = await create({ user_data: { theme: 'dark' } }, { 'x-request-id': 'create-spec-1' });
    expect(token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(session).toMatchObject({ user_id: null, user_data: { theme: 'dark' }, version: 0, revoked_at: null });
    expect(cookie.name).toBe('session');
    expect(cookie.value).toBe(token);
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(cookie.attributes.secure).toBeUndefined();
    expect(new Date(cookie.attributes.expires as string).getTime()).toBe(Math.floor(Date.parse(session.absolute_expires_at) / 1000) * 1000);
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      etag: 'W/"v0"',
      location: '/api/sessions/current',
      'x-request-id': 'create-spec-1',
    });
    // The request id reaches the session service as gRPC metadata.
    await waitUntil(() => stack.service.process.output().includes('"requestId":"create-spec-1"'), {
      what: 'the session service to log the request id',
    });
  });

  it('creates a session from an empty POST', async () => {
    const res = await stack.inject({ method: 'POST', url: '/api/sessions' });
    expect(res.statusCode).toBe(201);
    expect(res.json().session.user_data).toEqual({});
  });

  it('reads the session with the cookie alone, and with a bearer token', async () => {
    const { token, session } = await create();
    const byCookie = await stack.inject({ url: '/api/sessions/current', cookies: { session: token } });
    expect(byCookie.statusCode).toBe(200);
    expect(byCookie.json().session.session_id).toBe(session.session_id);
    expect(byCookie.headers).toMatchObject({ etag: 'W/"v0"', 'cache-control': 'no-store' });
    expect(byCookie.json()).not.toHaveProperty('token');
    const byBearer = await stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });
    expect(byBearer.json().session.session_id).toBe(session.session_id);
  });

  it('prefers the bearer token when both are present', async () => {
    const a = await create();
    const b = await create();
    const res = await stack.inject({
      url: '/api/sessions/current',
      cookies: { session: a.token },
      headers: { authorization: `Bearer ${b.token}` },
    });
    expect(res.json().session.session_id).toBe(b.session.session_id);
  });

  it('extends the session on touch', async () => {
    const { token, session } = await create();
    const res = await stack.inject({ method: 'POST', url: '/api/sessions/current/touch', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(Date.parse(res.json().session.idle_expires_at)).toBeGreaterThanOrEqual(Date.parse(session.idle_expires_at));
    expect(res.headers.etag).toBe('W/"v0"');
  });

  it('logs out by cookie: 204, cookie cleared, and the old cookie then gets 401 and is cleared again', async () => {
    const { token } = await create();
    const out = await stack.inject({ method: 'DELETE', url: '/api/sessions/current', cookies: { session: token } });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const cleared = parseSetCookie(out.headers['set-cookie']);
    expect(cleared).toMatchObject({ name: 'session', value: '' });
    expect(new Date(cleared.attributes.expires as string).getTime()).toBe(0);

    const again = await stack.inject({ url: '/api/sessions/current', cookies: { session: token } });
    expect(again.statusCode).toBe(401);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.json()).toMatchObject({ status: 401, code: 'session_revoked' });
    expect(parseSetCookie(again.headers['set-cookie']).value).toBe('');

    const twice = await stack.inject({ method: 'DELETE', url: '/api/sessions/current', cookies: { session: token } });
    expect(twice.statusCode).toBe(401);
  });

  it('logs out by bearer without touching cookies', async () => {
    const { token } = await create();
    const out = await stack.inject({ method: 'DELETE', url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });
    expect(out.statusCode).toBe(204);
    expect(out.headers['set-cookie']).toBeUndefined();
    const after = await stack.inject({ method: 'POST', url: '/api/sessions/current/touch', headers: { authorization: `Bearer ${token}` } });
    expect(after.json()).toMatchObject({ status: 401, code: 'session_revoked' });
    expect(after.headers['set-cookie']).toBeUndefined();
  });

  it('answers 401 for a missing, malformed or unknown token', async () => {
    const none = await stack.inject({ url: '/api/sessions/current' });
    expect(none.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    const malformed = await stack.inject({ url: '/api/sessions/current', headers: { authorization: 'Bearer not a token' } });
    expect(malformed.json()).toMatchObject({ status: 401 });
    const junk = await stack.inject({ url: '/api/sessions/current', cookies: { session: 'junk' } });
    expect(junk.json()).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(parseSetCookie(junk.headers['set-cookie']).value).toBe('');
    const unknown = `${'0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a'}.${'A'.repeat(43)}`;
    const res = await stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${unknown}` } });
    expect(res.json()).toMatchObject({ status: 401, code: 'session_not_found', request_id: res.headers['x-request-id'] });
  });

  it('keeps a safe caller request id and replaces an unsafe one', async () => {
    const kept = await stack.inject({ url: '/healthz', headers: { 'x-request-id': 'abc.DEF_1-2' } });
    expect(kept.headers['x-request-id']).toBe('abc.DEF_1-2');
    const replaced = await stack.inject({ url: '/healthz', headers: { 'x-request-id': 'x'.repeat(129) } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never puts a token in a log line, nor in any body but the create answer', () => {
    const tokens = new Set<string>();
    for (const { request, response } of stack.responses) {
      if (request.method === 'POST' && request.url === '/api/sessions' && response.statusCode === 201) tokens.add(response.json().token);
    }
    expect(tokens.size).toBeGreaterThan(5);
    const secrets = [...tokens].map((t) => t.split('.')[1]);
    for (const { request, response } of stack.responses) {
      if (request.url === '/api/sessions' && request.method === 'POST') continue;
      for (const secret of secrets) expect(response.body).not.toContain(secret);
    }
    expect(stack.logs.length).toBeGreaterThan(20);
    for (const line of stack.logs) for (const secret of secrets) expect(line).not.toContain(secret);
    expect(stack.service.process.output()).not.toContain(secrets[0]);
  });
});
