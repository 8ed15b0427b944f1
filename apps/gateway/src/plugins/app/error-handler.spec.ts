import * as grpc from '@grpc/grpc-js';
import { loadGatewayConfig } from '@session/config';
import { dateToTimestamp } from '@session/proto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app';
import { startFakeSessionService, type FakeSessionService } from '../../testing/fake-session-service';
import { logCapture, parseSetCookie } from '../../testing/gateway-stack';

const TOKEN = `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'S'.repeat(43)}`;
const now = dateToTimestamp(new Date('2026-03-01T00:00:00Z'));
const later = dateToTimestamp(new Date('2026-03-08T00:00:00Z'));
const session = (userId = '') => ({
  session_id: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
  user_id: userId,
  user_data: { fields: {} },
  version: '4',
  created_at: now,
  updated_at: now,
  last_seen_at: now,
  idle_expires_at: later,
  absolute_expires_at: later,
});

describe('gRPC failures through the error handler (scripted session service)', () => {
  let fake: FakeSessionService;
  let app: FastifyInstance;
  const logs: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSessionService();
    const config = loadGatewayConfig({ SESSION_SERVICE_URL: fake.address, GRPC_DEADLINE_MS: '150', USER_DATA_MAX_BYTES: '100000' });
    app = await buildApp(config, { logStream: logCapture(logs), webRoot: null });
  });
  afterAll(async () => {
    await app?.close();
    fake?.stop();
  });

  const bearer = { authorization: `Bearer ${TOKEN}` };
  const get = (headers: Record<string, string> = bearer) => app.inject({ url: '/api/sessions/current', headers });

  it('forwards the request id as metadata and maps a hung call to 504', async () => {
    // The service hangs far past the 150 ms deadline: answering well before the hang ends shows
    // the deadline cut it short, with room for a loaded machine.
    fake.on('ValidateSession', { hangMs: 5_000, reply: { session: session() } });
    const started = Date.now();
    const res = await get({ ...bearer, 'x-request-id': 'slow-1' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ code: 'timeout', request_id: 'slow-1' });
    expect(fake.lastMetadata.get('ValidateSession')?.get('x-request-id')).toEqual(['slow-1']);
    const line = logs.find((l) => l.includes('"requestId":"slow-1"') && l.includes('"msg":"request failed"'));
    expect(line).toContain('"code":"timeout"');
  });

  it('hides internal error messages behind a 500 and logs them', async () => {
    fake.on('ValidateSession', { fail: grpc.status.INTERNAL, message: 'mongo at 10.1.2.3 said no' });
    const res = await get();
    expect(res.json()).toMatchObject({ status: 500, code: 'internal', detail: 'An internal error occurred.' });
    expect(res.body).not.toContain('10.1.2.3');
    expect(logs.some((l) => l.includes('"level":50') && l.includes('10.1.2.3'))).toBe(true);
    for (const line of logs) expect(line).not.toContain('S'.repeat(43));
  });

  it('answers 500 when the service answers without a session', async () => {
    fake.on('TouchSession', { reply: {} });
    const res = await app.inject({ method: 'POST', url: '/api/sessions/current/touch', headers: bearer });
    expect(res.json()).toMatchObject({ status: 500, code: 'internal' });
  });

  it.each([
    ['ABORTED without If-Match', grpc.status.ABORTED, 'version_conflict', 409, 'version_conflict'],
    ['INVALID_ARGUMENT payload_too_large', grpc.status.INVALID_ARGUMENT, 'payload_too_large', 413, 'payload_too_large'],
    ['FAILED_PRECONDITION', grpc.status.FAILED_PRECONDITION, undefined, 400, 'bad_request'],
    ['PERMISSION_DENIED', grpc.status.PERMISSION_DENIED, 'forbidden', 403, 'forbidden'],
    ['RESOURCE_EXHAUSTED from the service (rate_limited)', grpc.status.RESOURCE_EXHAUSTED, 'rate_limited', 429, 'rate_limited'],
    // Without the service's x-error-code it came from the transport (a message over the size limit): not the client's rate.
    ['RESOURCE_EXHAUSTED from the transport', grpc.status.RESOURCE_EXHAUSTED, undefined, 502, 'internal'],
    ['UNIMPLEMENTED', grpc.status.UNIMPLEMENTED, undefined, 500, 'internal'],
  ])('maps %s on a write', async (_name, status, errorCode, http, code) => {
    fake.on('UpdateSessionData', { fail: status, message: 'told by the service', errorCode });
    const res = await app.inject({ method: 'PATCH', url: '/api/sessions/current/data', headers: bearer, payload: { a: 1 } });
    expect(res.statusCode).toBe(http);
    expect(res.json()).toMatchObject({ status: http, code });
  });

  it('maps ALREADY_EXISTS on create to 409', async () => {
    fake.on('CreateSession', { fail: grpc.status.ALREADY_EXISTS, message: 'duplicate' });
    const res = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
    expect(res.statusCode).toBe(409);
  });

  it('answers 401 and clears the cookie when logging out a session that had already ended', async () => {
    fake.on('RevokeSession', { reply: { revoked: false } });
    const res = await app.inject({ method: 'DELETE', url: '/api/sessions/current', cookies: { session: TOKEN } });
    expect(res.statusCode).toBe(401);
    expect(parseSetCookie(res.headers['set-cookie']).value).toBe('');
  });

  it('answers 404 when revoking a session of the user that had already ended', async () => {
    fake.on('ValidateSession', { reply: { session: session('user-1') } });
    fake.on('RevokeSession', { reply: { revoked: false } });
    const res = await app.inject({ method: 'DELETE', url: '/api/sessions/1b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a', headers: bearer });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'session_not_found' });
  });

  it('reports not ready while the service says NOT_SERVING', async () => {
    fake.health.setStatus('session.v1.SessionService', 'NOT_SERVING');
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'session_service_unavailable' });
    fake.health.setStatus('session.v1.SessionService', 'SERVING');
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
