import { loadGatewayConfig } from '@session/config';
import { dateToTimestamp } from '@session/proto';
import type { FastifyInstance } from 'fastify';
import { buildApp, REDACTED_PATHS, serverOptions } from './app';
import { startFakeSessionService, type FakeSessionService } from './testing/fake-session-service';
import { parseSetCookie } from './testing/gateway-stack';

const TOKEN = `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'T'.repeat(43)}`;
const at = (iso: string) => dateToTimestamp(new Date(iso));
const created = {
  token: TOKEN,
  session: {
    session_id: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
    user_id: '',
    user_data: { fields: {} },
    version: '0',
    created_at: at('2026-03-01T00:00:00Z'),
    updated_at: at('2026-03-01T00:00:00Z'),
    last_seen_at: at('2026-03-01T00:00:00Z'),
    idle_expires_at: at('2026-03-08T00:00:00Z'),
    absolute_expires_at: at('2026-03-31T00:00:00Z'),
  },
};

describe('configuration-dependent behaviour', () => {
  let fake: FakeSessionService;
  const apps: FastifyInstance[] = [];
  const build = async (env: Record<string, string>) => {
    const app = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: fake.address, ...env }), { webRoot: null });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    fake = await startFakeSessionService();
    fake.on('CreateSession', { reply: created });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    fake?.stop();
  });

  it('uses a Secure __Host- cookie, HSTS and an upgrading CSP when COOKIE_SECURE is set', async () => {
    const app = await build({ COOKIE_SECURE: 'true' });
    const res = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
    expect(res.statusCode).toBe(201);
    const cookie = parseSetCookie(res.headers['set-cookie']);
    expect(cookie).toMatchObject({ name: '__Host-session', value: TOKEN });
    expect(cookie.attributes).toMatchObject({
      secure: true,
      httponly: true,
      path: '/',
      samesite: 'Lax',
      expires: 'Tue, 31 Mar 2026 00:00:00 GMT',
    });
    expect(cookie.attributes.domain).toBeUndefined();
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    const read = await app.inject({ url: '/api/sessions/current', cookies: { session: TOKEN } });
    expect(read.json()).toMatchObject({ code: 'unauthenticated' }); // the plain name is not read when secure
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.cookieAuth.name).toBe('__Host-session');
  });

  it('never takes a token from the URL', async () => {
    const app = await build({});
    fake.on('ValidateSession', { reply: { session: created.session } });
    const lastValidation = () => fake.lastMetadata.get('ValidateSession')?.get('x-request-id')[0];
    for (const name of ['token', 'session', 'access_token']) {
      const res = await app.inject({ url: `/api/sessions/current?${name}=${TOKEN}`, headers: { 'x-request-id': `by-url-${name}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthenticated' });
      expect(lastValidation()).not.toBe(`by-url-${name}`); // refused before any gRPC call
    }
    const byHeader = await app.inject({
      url: '/api/sessions/current',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'by-header' },
    });
    expect(byHeader.statusCode).toBe(200);
    expect(lastValidation()).toBe('by-header');
  });

  it('answers CORS preflights only for CORS_ORIGINS', async () => {
    const preflight = {
      method: 'OPTIONS' as const,
      url: '/api/sessions',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    };
    const open = await build({ CORS_ORIGINS: 'https://app.example' });
    const allowed = await open.inject(preflight);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await open.inject({ ...preflight, headers: { ...preflight.headers, origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const closed = await build({});
    expect((await closed.inject(preflight)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('takes the client address from X-Forwarded-For only with TRUST_PROXY', async () => {
    const behind = await build({ TRUST_PROXY: '1', CREATE_RATE_LIMIT: '1' });
    const from = (ip: string) => behind.inject({ method: 'POST', url: '/api/sessions', payload: {}, headers: { 'x-forwarded-for': ip } });
    expect((await from('203.0.113.1')).statusCode).toBe(201);
    expect((await from('203.0.113.1')).statusCode).toBe(429);
    expect((await from('203.0.113.2')).statusCode).toBe(201);
  });

  it('logs at LOG_LEVEL with the token-bearing headers redacted', () => {
    const options = serverOptions(loadGatewayConfig({ LOG_LEVEL: 'warn' }), {
      logger: true,
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
    });
    expect(options.logger).toMatchObject({ level: 'warn', redact: { paths: REDACTED_PATHS } });
    expect(REDACTED_PATHS).toEqual(
      expect.arrayContaining(['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]']),
    );
    expect(options).toMatchObject({ connectionTimeout: 1_000, requestTimeout: 2_000, bodyLimit: 65_536 });
    expect(serverOptions(loadGatewayConfig({})).logger).toBe(false);
  });
});
