import { loadGatewayConfig } from '@session/config';
import type { FastifyInstance } from 'fastify';
import { connect, type AddressInfo } from 'node:net';
import { answerClientError, buildApp } from './app';

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

describe('requests the HTTP parser refuses', () => {
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    app = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: '127.0.0.1:1' }), { webRoot: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => app.close());

  const sendRaw = (raw: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(raw));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('utf8')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });

  it('answers a control character in a header with a problem+json 400 and closes', async () => {
    const answer = await sendRaw('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-request-id: a\x01b\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('answers an oversized header block with 431', async () => {
    const answer = await sendRaw(`GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('just closes a socket it can no longer write to', () => {
    const socket = { writable: false, destroy: jest.fn(), end: jest.fn() };
    answerClientError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket as never);
    expect(socket.destroy).toHaveBeenCalled();
    expect(socket.end).not.toHaveBeenCalled();
  });
});
