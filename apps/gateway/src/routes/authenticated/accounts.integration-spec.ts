import type { LightMyRequestResponse } from 'fastify';
import { startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

const PASSWORD = 'correct horse battery staple';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0';

/** The session cookie's Set-Cookie line, or undefined when the answer set none. */
const sessionCookie = (res: LightMyRequestResponse): string | undefined =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((line) => line.startsWith('session='));

/** Everything of a problem but what names this very request. */
const problemShape = (res: LightMyRequestResponse) => {
  const problem = res.json();
  delete problem.request_id;
  delete problem.instance;
  return { status: res.statusCode, contentType: res.headers['content-type'], ...problem };
};

describe('sign-up, sign-in, password change and session lists (real accounts service, session service, embedded database)', () => {
  let stack: GatewayStack;
  let n = 0;
  beforeAll(async () => {
    // Failure throttles of the accounts service high, so only the gateway's own per-address limit is under test here.
    stack = await startGatewayStack({
      env: { SIGN_IN_RATE_LIMIT: '6' },
      accountsEnv: { ACCOUNTS_SIGNIN_ACCOUNT_LIMIT: '1000', ACCOUNTS_SIGNIN_ADDRESS_LIMIT: '1000' },
    });
  }, 60_000);
  afterAll(async () => stack?.close());

  /** A browser at its own address (each test its own, so the per-address limit of one does not spill into another). */
  function browser() {
    n += 1;
    const remoteAddress = `203.0.113.${n}`;
    let token = '';
    const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
      stack.inject({
        method,
        url,
        remoteAddress,
        cookies: token ? { session: token } : {},
        headers: { 'user-agent': UA, ...headers },
        ...(payload ? { payload } : {}),
      });
    return {
      remoteAddress,
      get token() {
        return token;
      },
      set token(value: string) {
        token = value;
      },
      send,
      async start() {
        const res = await send('POST', '/api/sessions', {});
        expect(res.statusCode).toBe(201);
        token = res.json().token;
        return token;
      },
      /** Signs up or in and keeps the rotated token, as a browser keeps the new cookie. */
      async signIn(url: '/api/accounts' | '/api/sessions/current/sign-in', email: string, extra: object = {}) {
        const res = await send('POST', url, { email, password: PASSWORD, ...extra });
        if (res.statusCode < 300) token = res.json().token;
        return res;
      },
    };
  }
  const email = () => `user${n}.${Date.now()}@example.com`;
  /** An account signed up from another browser, to sign in to from a fresh one. */
  async function accountOfAnotherBrowser() {
    const owner = browser();
    await owner.start();
    const address = email();
    expect((await owner.signIn('/api/accounts', address)).statusCode).toBe(201);
    return { owner, address };
  }
  const readWith = (token: string) => stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });

  it('signs up: 201 {token, session} signed in by password with the device, the token rotates (old refused at once), a browser-session cookie without remember_me', async () => {
    const b = browser();
    const anonymous = await b.start();
    const res = await b.signIn('/api/accounts', email());
    expect(res.statusCode).toBe(201);
    const { token, session } = res.json();
    expect(token).not.toBe(anonymous);
    // The accounts service's claims for a new sign-in, read back as stored (read-only on REST).
    expect(session).toMatchObject({
      authentication_method: 'password',
      remember_me: false,
      device: { user_agent: UA },
      claims: { roles: ['user'] },
    });
    expect(session.user_id).toEqual(expect.any(String));
    expect(session.authenticated_at).toEqual(expect.any(String));
    // The service stores the address truncated by default (/24), but it is the address the gateway saw.
    expect(session.device.client_address).toMatch(/^203\.0\.113\./);
    const cookie = sessionCookie(res);
    expect(cookie).toContain(`session=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    expect((await readWith(anonymous)).statusCode).toBe(401);
    const current = await readWith(token);
    expect(current.statusCode).toBe(200);
    expect(current.json().session).toMatchObject({
      user_id: session.user_id,
      authentication_method: 'password',
      claims: { roles: ['user'] },
    });
  });

  it('keeps the cookie until the absolute expiry with remember_me', async () => {
    const b = browser();
    await b.start();
    const res = await b.signIn('/api/accounts', email(), { remember_me: true });
    expect(res.statusCode).toBe(201);
    expect(res.json().session.remember_me).toBe(true);
    expect(sessionCookie(res)).toMatch(/Expires=/);
  });

  it('refuses a second account for the same email with 409 account_exists, leaving the session anonymous and its token working', async () => {
    const first = browser();
    await first.start();
    const address = email();
    expect((await first.signIn('/api/accounts', address)).statusCode).toBe(201);
    const second = browser();
    const token = await second.start();
    const res = await second.signIn('/api/accounts', address.toUpperCase());
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'account_exists' });
    const read = await readWith(token);
    expect(read.statusCode).toBe(200);
    expect(read.json().session.user_id).toBeNull();
  });

  it('answers 400 invalid_password and invalid_email from the accounts service, and 400 bad_request for a body without a password', async () => {
    const b = browser();
    await b.start();
    const short = await b.send('POST', '/api/accounts', { email: email(), password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'invalid_password' });
    const bad = await b.send('POST', '/api/accounts', { email: 'no-at-sign', password: PASSWORD });
    expect(bad.json()).toMatchObject({ status: 400, code: 'invalid_email' });
    const missing = await b.send('POST', '/api/sessions/current/sign-in', { email: email() });
    expect(missing.json()).toMatchObject({ status: 400, code: 'bad_request', field: 'body/password' });
  });

  it('answers an unknown email and a wrong password with the same 401 invalid_credentials, keeping the cookie and the session', async () => {
    const { owner, address } = await accountOfAnotherBrowser();
    const b = browser();
    const token = await b.start();
    const wrong = await b.send('POST', '/api/sessions/current/sign-in', { email: address, password: `${PASSWORD}!` });
    const unknown = await b.send('POST', '/api/sessions/current/sign-in', { email: `nobody.${address}`, password: PASSWORD });
    expect(wrong.statusCode).toBe(401);
    expect(problemShape(wrong)).toEqual(problemShape(unknown));
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials' });
    // A mistyped password is not an invalid token: the cookie stays and the anonymous session goes on.
    expect(sessionCookie(wrong)).toBeUndefined();
    expect((await readWith(token)).statusCode).toBe(200);
    const right = await b.signIn('/api/sessions/current/sign-in', address);
    expect(right.statusCode).toBe(200);
    expect(right.json().session.user_id).toBe((await readWith(owner.token)).json().session.user_id);
  });

  it('refuses a cross-site sign-in with 403 forbidden_origin and signs nothing in', async () => {
    const { address } = await accountOfAnotherBrowser();
    const b = browser();
    const token = await b.start();
    const res = await b.send(
      'POST',
      '/api/sessions/current/sign-in',
      { email: address, password: PASSWORD },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden_origin' });
    expect((await readWith(token)).json().session.user_id).toBeNull();
  });

  it('limits sign-in requests per client address with 429 rate_limited and Retry-After', async () => {
    const b = browser();
    await b.start();
    const statuses: number[] = [];
    let last!: LightMyRequestResponse;
    for (let i = 0; i < 7; i += 1) {
      last = await b.send('POST', '/api/sessions/current/sign-in', { email: `nobody${i}@example.com`, password: PASSWORD });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    expect(last.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    const other = browser();
    await other.start();
    expect(
      (await other.send('POST', '/api/sessions/current/sign-in', { email: 'nobody@example.com', password: PASSWORD })).statusCode,
    ).toBe(401);
  });

  it("lists the user's sessions marking the current one, revokes the others with scope=others, and the gateway refuses them at once", async () => {
    const address = email();
    const devices = [browser(), browser(), browser()];
    await devices[0].start();
    await devices[0].signIn('/api/accounts', address, { remember_me: true });
    for (const d of devices.slice(1)) {
      await d.start();
      expect((await d.signIn('/api/sessions/current/sign-in', address)).statusCode).toBe(200);
    }
    // Every token read once, so this gateway holds them in its near cache.
    for (const d of devices) expect((await readWith(d.token)).statusCode).toBe(200);
    const list = await devices[0].send('GET', '/api/sessions');
    expect(list.statusCode).toBe(200);
    const sessions = list.json().sessions as {
      session_id: string;
      current: boolean;
      device: { user_agent: string };
      created_at: string;
      last_seen_at: string;
    }[];
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current).map((s) => s.session_id)).toEqual([devices[0].token.split('.')[0]]);
    for (const s of sessions)
      expect(s).toMatchObject({ device: { user_agent: UA }, created_at: expect.any(String), last_seen_at: expect.any(String) });

    const revoke = await devices[0].send('DELETE', '/api/sessions?scope=others');
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toEqual({ revoked_count: 2 });
    for (const d of devices.slice(1)) expect((await readWith(d.token)).statusCode).toBe(401);
    expect((await readWith(devices[0].token)).statusCode).toBe(200);
    const after = (await devices[0].send('GET', '/api/sessions')).json().sessions;
    expect(after).toHaveLength(1);
  });

  it('refuses DELETE /api/sessions without scope=others with 400, revoking nothing', async () => {
    const b = browser();
    await b.start();
    await b.signIn('/api/accounts', email());
    const res = await b.send('DELETE', '/api/sessions?scope=all');
    expect(res.statusCode).toBe(400);
    expect((await b.send('GET', '/api/sessions')).json().sessions).toHaveLength(1);
  });

  it('changes the password (204) after a fresh sign-in, ending the other sessions; the old password no longer signs in', async () => {
    const address = email();
    const [a, b] = [browser(), browser()];
    await a.start();
    await a.signIn('/api/accounts', address);
    await b.start();
    await b.signIn('/api/sessions/current/sign-in', address);
    const newPassword = `${PASSWORD} and more`;
    const res = await a.send('POST', '/api/accounts/current/password', { current_password: PASSWORD, new_password: newPassword });
    expect(res.statusCode).toBe(204);
    expect((await readWith(b.token)).statusCode).toBe(401);
    expect((await readWith(a.token)).statusCode).toBe(200);
    const c = browser();
    await c.start();
    expect((await c.send('POST', '/api/sessions/current/sign-in', { email: address, password: PASSWORD })).json()).toMatchObject({
      code: 'invalid_credentials',
    });
    expect((await c.send('POST', '/api/sessions/current/sign-in', { email: address, password: newPassword })).statusCode).toBe(200);
  });

  it('answers 401 reauthentication_required for a session without a sign-in, keeping its cookie', async () => {
    const b = browser();
    const token = await b.start();
    const res = await b.send('POST', '/api/accounts/current/password', {
      current_password: PASSWORD,
      new_password: `${PASSWORD} and more`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'reauthentication_required' });
    expect(sessionCookie(res)).toBeUndefined();
    expect((await readWith(token)).statusCode).toBe(200);
  });

  it('never logs a password or a session token', () => {
    const logs = stack.logs.join('\n');
    expect(logs).not.toContain(PASSWORD);
    for (const { response } of stack.responses) {
      const token = response.headers['content-type']?.toString().startsWith('application/json')
        ? (response.json() as { token?: string }).token
        : undefined;
      if (token) expect(logs).not.toContain(token.split('.')[1]);
    }
  });
});
