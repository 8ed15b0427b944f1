import { performance } from 'node:perf_hooks';
import { FeedWatcher } from '../testing/feed-watcher';
import { startTestService, type TestService } from '../testing/test-service';

/**
 * What the feed costs the service per change, with N subscribers over real gRPC streams: the time
 * spent inside publish() (on the write's own path, before its RPC answers: encoding once, then one
 * serialized write per subscriber) and the whole process's CPU per change (an upper bound: the
 * subscribers decode in this same process). Printed for docs/edge-validation.md.
 */
describe('feed cost per published change', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => t?.close());

  it.each([1, 4, 16])('with %i subscribers stays far below a millisecond per subscriber on the write path', async (subscribers) => {
    const watchers = Array.from({ length: subscribers }, () => new FeedWatcher(t.address));
    try {
      for (const w of watchers) await w.until((x) => x.messages.length >= 1, 5_000, 'RESET');
      const changes = 5_000;
      const batch = 100;
      let publishMs = 0;
      const cpu = process.cpuUsage();
      const wall = performance.now();
      for (let i = 0; i < changes; i += batch) {
        const started = performance.now();
        for (let j = i; j < i + batch; j++) {
          t.changes.publish({
            kind: 'extended',
            sessionId: `00000000-0000-4000-8000-${String(j).padStart(12, '0')}`,
            userId: 'bench-user',
            idleExpiresAt: new Date(),
          });
        }
        publishMs += performance.now() - started;
        // Paced by the subscribers, as database round trips pace real writes: no stream overflows.
        for (const w of watchers) await w.until((x) => x.changeCount > i + batch - 200, 10_000, 'the subscriber to keep up');
      }
      for (const w of watchers) await w.untilChanges(changes + 1, 20_000);
      const used = process.cpuUsage(cpu);
      const wallMs = performance.now() - wall;
      const perChangeUs = (publishMs * 1_000) / changes;
      const cpuPerChangeUs = (used.user + used.system) / changes;
      console.log(
        `feed cost, ${subscribers} subscriber(s), ${changes} changes: publish() ${perChangeUs.toFixed(1)} us/change ` +
          `(${(perChangeUs / subscribers).toFixed(1)} us per subscriber); process CPU incl. in-process subscribers ${cpuPerChangeUs.toFixed(1)} us/change; wall ${wallMs.toFixed(0)} ms`,
      );
      for (const w of watchers) {
        expect(w.ended).toBeUndefined();
        expect(w.messages.at(-1)?.sequence).toBe(String(w.messages.length));
      }
      expect(perChangeUs / subscribers).toBeLessThan(1_000);
    } finally {
      watchers.forEach((w) => w.close());
    }
  });
});
