import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifySessionAuth } from './fastify-session-auth';
import { FakeService, session } from './testing/fake-deps';

describe('fastifySessionAuth (inject)', () => {
  let app: FastifyInstance;
  let service: FakeService;

  beforeEach(async () => {
    service = new FakeService();
    service.sessions.set('a', session('a', { userId: 'u1' }));
    app = Fastify();
    await app.register(cookie);
    await app.register(fastifySessionAuth, { validator: service, cookieName: 'sid' });
    const who = async (request: { validatedSession: { sessionId: string; userId: string } | null }) => ({
      session: request.validatedSession && { id: request.validatedSession.sessionId, user: request.validatedSession.userId },
    });
    app.get('/required', who);
    app.get('/optional', { config: { sessionAuth: 'optional' } }, who);
    app.get('/open', { config: { sessionAuth: 'off' } }, who);
    await app.ready();
  });
  afterEach(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('puts the session of a Bearer token on the request', async () => {
    const res = await get('/required', { authorization: 'Bearer a.secret' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ session: { id: 'a', user: 'u1' } });
  });

  it('reads the cookie when there is no Bearer header', async () => {
    const res = await get('/required', { cookie: 'sid=a.secret' });
    expect(res.json()).toEqual({ session: { id: 'a', user: 'u1' } });
  });

  it.each([
    ['no token', {}],
    ['another scheme', { authorization: 'Basic a.secret' }],
    ['an invalid token', { authorization: 'Bearer nope.secret' }],
  ])('a required route answers 401 problem+json for %s', async (_name, headers) => {
    const res = await get('/required', headers);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('an optional route carries on without a session for a missing or invalid token', async () => {
    expect((await get('/optional')).json()).toEqual({ session: null });
    expect((await get('/optional', { authorization: 'Bearer nope.x' })).json()).toEqual({ session: null });
    expect((await get('/optional', { authorization: 'Bearer a.x' })).json()).toEqual({ session: { id: 'a', user: 'u1' } });
  });

  it('a route with auth off never calls the validator', async () => {
    const res = await get('/open', { authorization: 'Bearer a.secret' });
    expect(res.json()).toEqual({ session: null });
    expect(service.calls).toBe(0);
  });

  it('answers 503 on required and optional routes when the session service cannot say (no guess)', async () => {
    service.failWith = { code: 14 };
    for (const url of ['/required', '/optional']) {
      const res = await get(url, { authorization: 'Bearer a.secret' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'session_service_unavailable' });
    }
  });
});
