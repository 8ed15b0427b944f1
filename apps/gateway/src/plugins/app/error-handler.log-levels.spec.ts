import * as grpc from '@grpc/grpc-js';
import { loadGatewayConfig } from '@session/config';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app';
import { startFakeSessionService, type FakeSessionService } from '../../testing/fake-session-service';
import { logCapture } from '../../testing/gateway-stack';

const TOKEN = `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'S'.repeat(43)}`;

/** The "request failed" line the gateway wrote for one request id. */
function failureLine(logs: string[], requestId: string): { level: number; status: number; code: string; reason?: string; err?: unknown } {
  const line = logs.find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"msg":"request failed"'));
  if (!line) throw new Error(`no "request failed" line for ${requestId}`);
  return JSON.parse(line);
}

describe('error handler log levels: an unavailable or slow session service is an outage, not a bug', () => {
  let fake: FakeSessionService;
  let app: FastifyInstance;
  const logs: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSessionService();
    const config = loadGatewayConfig({ SESSION_SERVICE_URL: fake.address, GRPC_DEADLINE_MS: '150' });
    app = await buildApp(config, { logStream: logCapture(logs), webRoot: null });
  });
  afterAll(async () => {
    await app?.close();
    fake?.stop();
  });

  const get = (requestId: string) =>
    app.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': requestId } });

  it('logs a 503 (UNAVAILABLE) at warn, with the reason and without a stack', async () => {
    fake.on('ValidateSession', {
      fail: grpc.status.UNAVAILABLE,
      message: 'the session store is unavailable, retry later',
      errorCode: 'session_service_unavailable',
    });
    const res = await get('unavailable-1');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const line = failureLine(logs, 'unavailable-1');
    expect(line).toMatchObject({ level: 40, status: 503, code: 'session_service_unavailable' });
    expect(line.reason).toContain('the session store is unavailable');
    expect(line.err).toBeUndefined();
  });

  it('logs a 504 (deadline exceeded) at warn', async () => {
    fake.on('ValidateSession', { hangMs: 1_000, reply: {} });
    const res = await get('deadline-1');
    expect(res.statusCode).toBe(504);
    expect(failureLine(logs, 'deadline-1')).toMatchObject({ level: 40, status: 504, code: 'timeout' });
  });

  it('still logs an unexpected 500 at error, with the error', async () => {
    fake.on('ValidateSession', { fail: grpc.status.INTERNAL, message: 'boom' });
    const res = await get('internal-1');
    expect(res.statusCode).toBe(500);
    const line = failureLine(logs, 'internal-1');
    expect(line).toMatchObject({ level: 50, status: 500, code: 'internal' });
    expect(line.err).toBeDefined();
  });

  it('logs a call whose HTTP/2 stream was cut (INTERNAL RST_STREAM, no service code) as an outage at warn, not as a bug', async () => {
    fake.on('ValidateSession', {
      fail: grpc.status.INTERNAL,
      message: 'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2',
    });
    const res = await get('stream-cut-1');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'session_service_unavailable' });
    const line = failureLine(logs, 'stream-cut-1');
    expect(line).toMatchObject({ level: 40, status: 503, code: 'session_service_unavailable' });
    expect(line.reason).toContain('Session closed with error code 2');
    expect(line.err).toBeUndefined();
  });
});
