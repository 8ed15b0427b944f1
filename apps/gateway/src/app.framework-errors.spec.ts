import { loadGatewayConfig } from '@session/config';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';

describe('errors raised before routing', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // Nothing here reaches the session service: an unroutable address is fine.
    app = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: '127.0.0.1:1' }), { webRoot: null });
  });
  afterAll(async () => app.close());

  it('answers a malformed percent-escape with a problem+json 400 carrying the request id', async () => {
    const res = await app.inject({ url: '/healthz%', headers: { 'x-request-id': 'req-bad-url' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('req-bad-url');
    expect(res.json()).toMatchObject({ status: 400, code: 'bad_request', request_id: 'req-bad-url' });
  });

  it('lets an over-long path id reach the route schema (400, not a bare 414)', async () => {
    const res = await app.inject({ method: 'DELETE', url: `/api/sessions/${'a'.repeat(101)}`, headers: { authorization: 'Bearer x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'bad_request' });
  });
});
