import type { SessionApi } from '@session/grpc-client';
import type { FeedServer } from '@session/session-client/testing';
import { metricValue, waitUntil } from '@session/testing';
import { grpcCalls, type EdgeStack, type ListeningGateway } from '../../testing/edge-stack';
import { startScriptedFeedEdge, type ScriptedFeedEdge } from '../../testing/scripted-feed-edge';

const LIMIT = 5;

/**
 * The gateway's use of the near cache, over real ports: the real session
 * service answers misses and writes, and a scripted feed (a real grpc-js
 * SessionFeedService) decides when the cache may answer and what it evicts.
 */
describe('gateway near cache (outside clients, real session service, scripted feed)', () => {
  let scripted: ScriptedFeedEdge;
  let edge: EdgeStack;
  let feed: FeedServer;
  let gateway: ListeningGateway;
  let api: SessionApi;
  let sequence = 1;

  const get = (token: string) => fetch(`${gateway.url}/api/sessions/current`, { headers: { authorization: `Bearer ${token}` } });
  const hits = () => metricValue(gateway.metricsUrl, 'session_cache_hits_total');
  const validations = () => grpcCalls(gateway.metricsUrl, 'ValidateSession');
  const create = async () =>
    (await (await fetch(`${gateway.url}/api/sessions`, { method: 'POST' })).json()) as { token: string; session: { session_id: string } };

  beforeAll(async () => {
    scripted = await startScriptedFeedEdge({ INVALID_TOKEN_LIMIT: String(LIMIT) });
    ({ edge, feed, gateway, api } = scripted);
  });
  afterAll(() => scripted?.close());

  it(`serves ${LIMIT * 8} concurrent cached reads from one address (INVALID_TOKEN_LIMIT ${LIMIT}) without a 429 or a gRPC call`, async () => {
    const { token } = await create();
    expect((await get(token)).status).toBe(200); // the miss that fills the cache
    const [hitsBefore, callsBefore] = [await hits(), await validations()];
    const statuses = await Promise.all(Array.from({ length: LIMIT * 8 }, async () => (await get(token)).status));
    expect(statuses).toEqual(Array(LIMIT * 8).fill(200));
    expect((await hits()) - hitsBefore).toBe(LIMIT * 8);
    expect(await validations()).toBe(callsBefore);
  });

  it('reads its own PATCH at once from the cache (new version and data, no validation call)', async () => {
    const { token } = await create();
    await get(token);
    const patch = await fetch(`${gateway.url}/api/sessions/current/data`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ colour: 'green' }),
    });
    expect(patch.status).toBe(200);
    const [hitsBefore, callsBefore] = [await hits(), await validations()];
    const res = await get(token);
    const body = (await res.json()) as { session: { user_data: Record<string, unknown>; version: number } };
    expect(res.headers.get('etag')).toBe(patch.headers.get('etag'));
    expect(body.session.user_data).toEqual({ colour: 'green' });
    expect((await hits()) - hitsBefore).toBe(1);
    expect(await validations()).toBe(callsBefore);
  });

  it('refuses a cached token at once after logout through this gateway', async () => {
    const { token } = await create();
    await get(token);
    const hitsBefore = await hits();
    expect((await get(token)).status).toBe(200);
    expect((await hits()) - hitsBefore).toBe(1); // it was served from the cache
    expect(
      (await fetch(`${gateway.url}/api/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(204);
    const after = await get(token);
    expect(after.status).toBe(401);
    expect(((await after.json()) as { code: string }).code).toBe('session_revoked');
  });

  it('refuses a token revoked at the service once the feed reports it (the event is what evicts the cached entry)', async () => {
    const { token, session } = await create();
    await get(token);
    expect((await api.revokeSession({ token })).revoked).toBe(true);
    // No event yet: the scripted feed is the only source of changes here, so the entry still answers.
    expect((await get(token)).status).toBe(200);
    feed.send({
      sequence: ++sequence,
      kind: 'SESSION_CHANGE_KIND_REVOKED',
      session_id: session.session_id,
      changed_at: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
    });
    await waitUntil(async () => (await get(token)).status === 401, { what: 'the revoked token to be refused' });
  });

  it('with SESSION_CACHE_ENABLED=false validates every read at the service and subscribes to no feed', async () => {
    const plain = await edge.listen({ SESSION_CACHE_ENABLED: 'false', SESSION_FEED_TARGETS: feed.target });
    const { token } = (await (await fetch(`${plain.url}/api/sessions`, { method: 'POST' })).json()) as { token: string };
    const streams = feed.streams.length;
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${plain.url}/api/sessions/current`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(await metricValue(plain.metricsUrl, 'session_cache_hits_total')).toBe(0);
    expect(await metricValue(plain.metricsUrl, 'session_cache_misses_total', { reason: 'disabled' })).toBe(3);
    expect(await grpcCalls(plain.metricsUrl, 'ValidateSession')).toBe(3);
    expect(feed.streams.length).toBe(streams);
  });

  it('sends every validation to the service while the feed is down, and serves hits again after its RESET', async () => {
    const { token } = await create();
    const stream = feed.latest;
    // The replica's next stream stays before its RESET until the test says so, so "down" lasts.
    feed.autoReset = false;
    const reconnected = feed.nextStream();
    stream.end(); // the replica ends the stream (as on overflow or shutdown)
    await waitUntil(async () => (await metricValue(gateway.metricsUrl, 'session_feed_connected', { target: feed.target })) === 0, {
      what: 'the feed to be down',
    });
    const [hitsBefore, callsBefore] = [await hits(), await validations()];
    expect((await get(token)).status).toBe(200);
    expect((await get(token)).status).toBe(200);
    expect(await hits()).toBe(hitsBefore);
    expect((await validations()) - callsBefore).toBe(2);
    const next = await reconnected;
    feed.autoReset = true;
    sequence = 1;
    feed.send({ sequence, kind: 'SESSION_CHANGE_KIND_RESET' }, next);
    await waitUntil(async () => (await metricValue(gateway.metricsUrl, 'session_feed_connected', { target: feed.target })) === 1, {
      what: 'the feed to be live again',
    });
    await get(token); // a miss that fills
    expect((await get(token)).status).toBe(200);
    expect((await hits()) - hitsBefore).toBe(1);
  });
});
