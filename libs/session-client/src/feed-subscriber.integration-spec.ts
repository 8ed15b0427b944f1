import { once } from 'node:events';
import { Registry } from 'prom-client';
import { CachedValidator } from './cached-validator';
import type { FeedEvents } from './feed-events';
import { FeedSubscriber } from './feed-subscriber';
import { touchOverGrpc } from './grpc-dependencies';
import { createSessionCacheMetrics } from './metrics';
import { FakeService, atMs, session } from './testing/fake-deps';
import { FeedServer } from './testing/feed-server';

const STALE_AFTER_MS = 400;

describe('FeedSubscriber against a real grpc-js SessionFeedService on 127.0.0.1', () => {
  let server: FeedServer;
  let subscriber: FeedSubscriber;

  const subscribe = (targets = [server.target]) =>
    new FeedSubscriber({ targets, staleAfterMs: STALE_AFTER_MS, initialBackoffMs: 50, maxBackoffMs: 200 });
  const next = <K extends keyof FeedEvents>(event: K) => once(subscriber, event) as Promise<FeedEvents[K]>;

  beforeEach(async () => {
    server = new FeedServer();
    await server.start();
  });
  afterEach(() => {
    subscriber?.close();
    server.kill();
  });

  it('is caught up after the RESET and passes changes on, heartbeats not', async () => {
    subscriber = subscribe();
    expect(subscriber.caughtUp).toBe(false);
    const reset = next('reset');
    subscriber.start();
    expect((await reset)[0]).toEqual({ target: server.target, streamId: 'stream-1' });
    expect(subscriber.caughtUp).toBe(true);
    const changes: string[] = [];
    subscriber.on('change', (c) => changes.push(`${c.kind}:${c.message.session_id}`));
    const revoked = next('change');
    server.send({ sequence: 2, kind: 'SESSION_CHANGE_KIND_HEARTBEAT' });
    server.send({ sequence: 3, kind: 'SESSION_CHANGE_KIND_REVOKED', session_id: 'a', changed_at: atMs(Date.now()) });
    await revoked;
    expect(changes).toEqual(['SESSION_CHANGE_KIND_REVOKED:a']);
  });

  it('a killed server suspends at once; restarted, its RESET resumes', async () => {
    subscriber = subscribe();
    let reset = next('reset');
    subscriber.start();
    await reset;
    const down = next('down');
    const killedAt = Date.now();
    server.kill();
    expect((await down)[0].reason).toMatch(/lost|ended/);
    // A closed connection is noticed from the socket, long before the heartbeat watchdog would fire.
    expect(Date.now() - killedAt).toBeLessThan(STALE_AFTER_MS);
    expect(subscriber.caughtUp).toBe(false);
    reset = next('reset');
    server.streamId = 'stream-2';
    await server.start(); // same port
    expect((await reset)[0].streamId).toBe('stream-2');
    expect(subscriber.caughtUp).toBe(true);
  });

  it('a server that stops sending is declared stale after FEED_STALE_AFTER, then reconnected', async () => {
    subscriber = subscribe();
    let reset = next('reset');
    subscriber.start();
    await reset;
    const liveAt = Date.now();
    const down = next('down');
    reset = next('reset');
    const [{ reason }] = await down;
    expect(reason).toBe('stale');
    expect(Date.now() - liveAt).toBeGreaterThanOrEqual(STALE_AFTER_MS - 20);
    expect(subscriber.caughtUp).toBe(false);
    await reset;
    expect(server.streams.length).toBe(2);
  });

  it('heartbeats keep a quiet stream alive past FEED_STALE_AFTER', async () => {
    subscriber = subscribe();
    const reset = next('reset');
    subscriber.start();
    await reset;
    let downs = 0;
    subscriber.on('down', () => (downs += 1));
    const startedAt = Date.now();
    await server.heartbeats(2, 5, STALE_AFTER_MS / 2);
    expect(Date.now() - startedAt).toBeGreaterThan(2 * STALE_AFTER_MS);
    expect(downs).toBe(0);
    expect(subscriber.caughtUp).toBe(true);
  });

  it.each([
    ['a skipped sequence number', { sequence: 3, kind: 'SESSION_CHANGE_KIND_REVOKED' as const, session_id: 'a' }],
    ['a second RESET', { sequence: 2, kind: 'SESSION_CHANGE_KIND_RESET' as const }],
  ])('%s is a gap: suspended, then a new stream', async (_name, message) => {
    subscriber = subscribe();
    let reset = next('reset');
    subscriber.start();
    await reset;
    const down = next('down');
    reset = next('reset');
    server.send(message);
    expect((await down)[0].reason).toBe('gap');
    await reset;
    expect(server.streams.length).toBe(2);
  });

  it('a stream that does not begin with RESET is refused', async () => {
    server.autoReset = false;
    subscriber = subscribe();
    const opened = server.nextStream();
    subscriber.start();
    const down = next('down');
    server.send({ sequence: 1, kind: 'SESSION_CHANGE_KIND_HEARTBEAT' }, await opened);
    expect((await down)[0].reason).toBe('protocol');
    expect(subscriber.caughtUp).toBe(false);
  });

  it('is caught up only while every target is', async () => {
    const second = new FeedServer();
    await second.start();
    try {
      subscriber = subscribe([server.target, second.target]);
      const resets: string[] = [];
      const both = new Promise<void>((resolve) =>
        subscriber.on('reset', ({ target }) => {
          resets.push(target);
          if (resets.length === 2) resolve();
        }),
      );
      subscriber.start();
      await both;
      expect(subscriber.caughtUp).toBe(true);
      const down = next('down');
      second.kill();
      await down;
      expect(subscriber.caughtUp).toBe(false);
      expect(subscriber.isLive(server.target)).toBe(true);
    } finally {
      second.kill();
    }
  });

  it('offers the raw feed as an async iterator', async () => {
    subscriber = subscribe();
    const reset = next('reset');
    subscriber.start();
    await reset;
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const change of subscriber.changes(abort.signal)) {
        seen.push(change.message.session_id);
        if (seen.length === 2) abort.abort();
      }
    })();
    server.send({ sequence: 2, kind: 'SESSION_CHANGE_KIND_UPDATED', session_id: 'a', version: 2 });
    server.send({ sequence: 3, kind: 'SESSION_CHANGE_KIND_REMOVED', session_id: 'b' });
    await reading;
    expect(seen).toEqual(['a', 'b']);
  });

  it('end to end: a revocation over the wire stops hits for that token', async () => {
    const service = new FakeService();
    service.sessions.set('a', session('a', { idleExpiresAt: Date.now() + 600_000, absoluteExpiresAt: Date.now() + 600_000 }));
    subscriber = subscribe();
    const validator = new CachedValidator({
      validate: service.validate,
      touch: service.touch,
      feed: subscriber,
      metrics: createSessionCacheMetrics(new Registry()),
      enabled: true,
      maxEntries: 100,
      maxAgeMs: 60_000,
      touchIntervalMs: 60_000,
    });
    try {
      const reset = next('reset');
      subscriber.start();
      await reset;
      await validator.validate('a.s');
      await validator.validate('a.s');
      expect(service.calls).toBe(1);
      const change = next('change');
      const sentAt = Date.now();
      server.send({ sequence: 2, kind: 'SESSION_CHANGE_KIND_REVOKED', session_id: 'a', changed_at: atMs(sentAt) });
      await change;
      expect(Date.now() - sentAt).toBeLessThan(100);
      expect(validator.size).toBe(0);
      service.sessions.delete('a');
      await expect(validator.validate('a.s')).rejects.toMatchObject({ code: 16 });
    } finally {
      validator.close();
    }
  });

  it('touchOverGrpc sends a batch of session ids with TouchSessions', async () => {
    const { touch, close } = touchOverGrpc({ address: server.target, deadlineMs: 2_000 });
    try {
      await expect(touch(['a', 'b'])).resolves.toEqual({ touched_count: 2 });
      expect(server.touched).toEqual([['a', 'b']]);
    } finally {
      close();
    }
  });

  it('setTargets drops a target that is gone (suspending until the rest are caught up) and connects a new one', async () => {
    const second = new FeedServer();
    await second.start();
    try {
      subscriber = subscribe();
      let reset = next('reset');
      subscriber.start();
      await reset;
      reset = next('reset');
      const down = next('down');
      subscriber.setTargets([second.target]);
      expect((await down)[0]).toMatchObject({ target: server.target, reason: 'removed' });
      expect((await reset)[0].target).toBe(second.target);
      expect(subscriber.targets).toEqual([second.target]);
      expect(subscriber.caughtUp).toBe(true);
    } finally {
      second.kill();
    }
  });
});
