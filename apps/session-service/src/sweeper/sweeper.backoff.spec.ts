import { waitUntil } from '@session/testing';
import { NO_CHANGE_FEED } from '../domain/change-publisher';
import { systemClock } from '../domain/clock';
import type { SweepStore } from '../domain/sweep-store';
import { createLogger } from '../observability/logger';
import { Sweeper } from './sweeper';

/** A store whose sweep lookups fail while `failing` says so, and find nothing otherwise. */
function flakyRepository(failing: () => boolean): SweepStore {
  return {
    findSweepableIds: async () => {
      if (failing()) throw new Error('database unavailable');
      return [];
    },
    deleteSweepable: async () => [],
  };
}

describe('Sweeper backoff', () => {
  it('doubles the wait after each failed run, up to 16 intervals, and goes back to the interval after a success', async () => {
    const warnings: { retryInMs: number; at: number }[] = [];
    const logger = createLogger('warn', { write: (line: string) => void warnings.push({ ...JSON.parse(line), at: Date.now() }) });
    let calls = 0;
    // A failing run stops at its first lookup; a good one makes three (one per kind). So runs 1-6
    // fail (calls 1-6), run 7 succeeds (calls 7-9), run 8 fails again (call 10).
    const repository = flakyRepository(() => {
      calls++;
      return calls < 7 || calls > 9;
    });
    const sweeper = new Sweeper(
      repository,
      { intervalMs: 5, batchSize: 10, revokedRetentionMs: 1, orphanTtlMs: 1 },
      systemClock,
      logger,
      NO_CHANGE_FEED,
    );
    sweeper.start();
    await waitUntil(() => warnings.length >= 7, { what: 'seven sweep warnings', timeoutMs: 5_000, intervalMs: 5 });
    await sweeper.stop();
    expect(warnings.slice(0, 7).map((w) => w.retryInMs)).toEqual([10, 20, 40, 80, 80, 80, 10]);
    // The waits really are that long: the fifth failure comes at least 10 + 20 + 40 + 80 ms after the first.
    expect(warnings[4].at - warnings[0].at).toBeGreaterThanOrEqual(150);
  });
});
