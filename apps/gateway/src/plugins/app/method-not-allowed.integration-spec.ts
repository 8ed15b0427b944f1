import { request as httpRequest } from 'node:http';
import { loadGatewayConfig } from '@session/config';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app';
import { startFakeSessionService, type FakeSessionService } from '../../testing/fake-session-service';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request over the listening port: inject would skip Node's HTTP parser, which decides which methods get through. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('405 Method Not Allowed over a real port', () => {
  let fake: FakeSessionService;
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    fake = await startFakeSessionService();
    app = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: fake.address }), { webRoot: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app?.close();
    fake?.stop();
  });

  it.each([
    ['TRACE', '/api/sessions', 'DELETE, GET, HEAD, POST'],
    ['QUERY', '/api/sessions/current', 'DELETE, GET, HEAD'],
    ['PUT', '/healthz', 'GET, HEAD'],
    ['GET', '/api/sessions/current/data', 'PATCH, PUT'],
    ['POST', '/api/sessions/0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a', 'DELETE'],
    ['DELETE', '/openapi.json', 'GET, HEAD'],
  ])('%s %s answers 405 problem+json with Allow: %s, from the route table', async (method, path, allow) => {
    // A body with a content type the route would refuse: the method is judged first, the body never read.
    const res = await send(port, method, path, { 'content-type': 'text/plain', authorization: 'Bearer x' }, 'ignored');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe(allow);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 405, code: 'method_not_allowed', instance: path.split('?')[0] });
  });

  it('leaves CORS preflights (OPTIONS) and unknown paths alone', async () => {
    const preflight = await send(port, 'OPTIONS', '/api/sessions', {
      origin: 'http://elsewhere.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).not.toBe(405);
    const unknown = await send(port, 'TRACE', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'not_found' });
  });

  it('still serves the declared methods', async () => {
    expect((await send(port, 'GET', '/healthz')).status).toBe(200);
    expect((await send(port, 'HEAD', '/healthz')).status).toBe(200);
  });
});
