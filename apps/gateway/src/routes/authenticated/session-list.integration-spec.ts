import { loadGatewayConfig } from '@session/config';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { dateToTimestamp, jsonToStruct } from '@session/proto';
import type { FastifyInstance } from 'fastify';
import { MongoClient } from 'mongodb';
import { buildApp } from '../../app';
import { startFakeSessionService, type FakeSessionService } from '../../testing/fake-session-service';
import { logCapture, startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /api/sessions pages (real session service)', () => {
  let stack: GatewayStack;
  let trusted: SessionApi;
  let mongo: MongoClient;
  beforeAll(async () => {
    // One user holds hundreds of sessions here, far over the default concurrent-session limit (10).
    stack = await startGatewayStack({ serviceEnv: { SESSION_MAX_PER_USER: '1000' } });
    // Binding a user is a gRPC-only call for trusted services: the spec plays that service.
    trusted = new SessionApi(createSessionClient({ address: stack.service.address }), 10_000);
    mongo = await MongoClient.connect(stack.db.uri);
  });
  afterAll(async () => {
    trusted?.close();
    await mongo?.close();
    await stack?.close();
  });

  const stored = () => mongo.db(stack.dbName).collection('user_sessions').countDocuments();

  /** A signed-in session of `userId` (no data yet). */
  async function signedIn(userId: string): Promise<{ token: string; id: string }> {
    // Created over gRPC: hundreds of REST creates would meet the gateway's create rate limit.
    const created = await trusted.createSession({});
    const { token, session } = await trusted.bindUser({ token: created.token, user_id: userId });
    return { token, id: session!.session_id };
  }

  /** Gives the session `bytes` of user_data. */
  const fill = (token: string, bytes: number) =>
    trusted.updateSessionData({ token, user_data: jsonToStruct({ blob: 'x'.repeat(bytes - 11) }), mode: 'UPDATE_MODE_REPLACE' });

  /** `count` signed-in sessions of `userId` with `bytes` each. Every bind reads the user's sessions (the
   *  concurrent-session limit), so all are bound while small and filled afterwards. */
  async function manySignedIn(userId: string, count: number, bytes: number): Promise<{ token: string; id: string }[]> {
    const sessions: { token: string; id: string }[] = [];
    for (let i = 0; i < count; i += 25)
      sessions.push(...(await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => signedIn(userId)))));
    for (let i = 0; i < count; i += 25) await Promise.all(sessions.slice(i, i + 25).map((s) => fill(s.token, bytes)));
    return sessions;
  }

  it('lists 300 sessions of 15 KB each (4.5 MB, over gRPC 4 MB message limit in one answer) across pages, each id exactly once, without user_data', async () => {
    const ids = (await manySignedIn('many', 300, 15_000)).map((s) => s.id);
    const me = await signedIn('many');
    await fill(me.token, 20);
    ids.push(me.id);

    const listed: string[] = [];
    const sizes: number[] = [];
    let url = '/api/sessions';
    for (let pages = 0; pages < 20; pages++) {
      const res = await stack.inject({ url, headers: bearer(me.token) });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { sessions: Record<string, unknown>[]; next_page_token: string | null };
      for (const s of body.sessions) expect(s).not.toHaveProperty('user_data');
      listed.push(...body.sessions.map((s) => s.session_id as string));
      sizes.push(body.sessions.length);
      if (body.next_page_token === null) break;
      expect(body.next_page_token).toMatch(/^[A-Za-z0-9_-]+$/);
      url = `/api/sessions?page_token=${body.next_page_token}`;
    }
    expect(sizes).toEqual([50, 50, 50, 50, 50, 50, 1]);
    expect([...listed].sort()).toEqual([...ids].sort());
    expect(new Set(listed).size).toBe(301);
    expect(listed[0]).toBe(me.id); // newest first

    const small = await stack.inject({ url: '/api/sessions?page_size=200', headers: bearer(me.token) });
    expect(small.json()).toMatchObject({ sessions: expect.any(Array) });
    expect(small.json().sessions).toHaveLength(200);
  }, 120_000);

  it('answers a page token it did not issue, and a page size out of range, with 400 bad_request', async () => {
    const me = await signedIn('bad-pages');
    const forged = Buffer.from('c1:12:not-a-session-id').toString('base64url');
    const badToken = await stack.inject({ url: `/api/sessions?page_token=${forged}`, headers: bearer(me.token) });
    expect(badToken.statusCode).toBe(400);
    expect(badToken.json()).toMatchObject({
      code: 'bad_request',
      detail: 'page_token is malformed; pass the next_page_token of the previous page',
    });
    for (const query of ['page_size=201', 'page_size=0', 'page_size=ten', 'page_token=has%20space']) {
      const res = await stack.inject({ url: `/api/sessions?${query}`, headers: bearer(me.token) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'bad_request', field: expect.stringMatching(/^querystring\/page_(size|token)$/) });
    }
  });

  it('refuses a new (anonymous) session with more than ANONYMOUS_USER_DATA_MAX_BYTES with 413, storing nothing', async () => {
    const before = await stored();
    const res = await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: { s: 'x'.repeat(1_100) } } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large', detail: 'user_data is larger than 1024 bytes' });
    expect(await stored()).toBe(before);
    expect((await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: { s: 'x'.repeat(900) } } })).statusCode).toBe(
      201,
    );
  });
});

describe('GET /api/sessions when the answer is over the gRPC message limit (scripted session service)', () => {
  let fake: FakeSessionService;
  let app: FastifyInstance;
  const logs: string[] = [];
  const TOKEN = `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'L'.repeat(43)}`;
  const at = dateToTimestamp(new Date('2026-03-01T00:00:00Z'));
  const session = (userData: Record<string, unknown>) => ({
    session_id: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
    user_id: 'big-user',
    user_data: jsonToStruct(userData),
    version: '1',
    created_at: at,
    updated_at: at,
    last_seen_at: at,
    idle_expires_at: at,
    absolute_expires_at: at,
  });

  beforeAll(async () => {
    fake = await startFakeSessionService();
    app = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: fake.address }), { logStream: logCapture(logs), webRoot: null });
  });
  afterAll(async () => {
    await app?.close();
    fake?.stop();
  });

  it("answers 502 with a generic detail, not 429 with grpc-js's message", async () => {
    fake.on('ValidateSession', { reply: { session: session({}) } });
    // 5 MB: grpc-js in the gateway refuses to receive it (RESOURCE_EXHAUSTED, no x-error-code).
    fake.on('ListUserSessions', { reply: { sessions: [session({ blob: 'x'.repeat(5_000_000) })], next_page_token: '' } });
    const res = await app.inject({ url: '/api/sessions', headers: bearer(TOKEN) });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      status: 502,
      code: 'internal',
      detail: 'The session service sent an answer the gateway could not use.',
    });
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).not.toMatch(/larger than max|4194304/);
    // The operator still sees what happened.
    expect(logs.some((l) => /larger than max/.test(l))).toBe(true);
  });
});
