import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import {
  SPREAD_BATCH_SIZE,
  spreadLastWriteOps,
  spreadTouchState,
  steadyTouchRate,
  TOUCH_INTERVAL_MS,
  type SessionKeyed,
} from './touch-spread';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const setOf = (op: AnyBulkWriteOperation<SessionKeyed>) => ('updateOne' in op ? op.updateOne : undefined);

describe('spreadLastWriteOps', () => {
  it('sets the field to now minus a uniform share of the interval, one updateOne by _id per session', () => {
    const draws = [0, 0.5, 0.999];
    const ops = spreadLastWriteOps(['a', 'b', 'c'], 'last_seen_at', NOW, TOUCH_INTERVAL_MS, () => draws.shift() ?? NaN);
    expect(ops).toEqual([
      { updateOne: { filter: { _id: 'a' }, update: { $set: { last_seen_at: new Date(NOW) } } } },
      { updateOne: { filter: { _id: 'b' }, update: { $set: { last_seen_at: new Date(NOW - 30_000) } } } },
      { updateOne: { filter: { _id: 'c' }, update: { $set: { last_seen_at: new Date(NOW - 59_940) } } } },
    ]);
  });

  it('keeps every time within the last interval and spreads them over all of it', () => {
    const ids = Array.from({ length: 6_000 }, (_, i) => `s${i}`);
    const ages = spreadLastWriteOps(ids, 'lastModified', NOW).map(
      (op) => NOW - (setOf(op)?.update as { $set: { lastModified: Date } }).$set.lastModified.getTime(),
    );
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThan(TOUCH_INTERVAL_MS);
    // Uniform: each 10 s sixth of the interval holds about a sixth of the sessions (1,000 +- 20%).
    const sixths = [0, 1, 2, 3, 4, 5].map((k) => ages.filter((a) => Math.floor(a / 10_000) === k).length);
    for (const n of sixths) expect(n).toBeGreaterThan(800);
  });
});

describe('steadyTouchRate', () => {
  it('is the pool over the interval in seconds', () => {
    expect(steadyTouchRate(10_000)).toBeCloseTo(166.67, 2);
    expect(steadyTouchRate(300, 30_000)).toBe(10);
  });
});

describe('spreadTouchState', () => {
  it('writes unordered batches below the 100 updates that deadlock FerretDB 1.24, and counts the matched sessions', async () => {
    const batches: { size: number; ordered: unknown }[] = [];
    const collection = {
      bulkWrite: async (ops: unknown[], options: { ordered?: boolean }) => {
        batches.push({ size: ops.length, ordered: options.ordered });
        return { matchedCount: ops.length - 1 };
      },
    } as unknown as Collection<SessionKeyed>;
    const ids = Array.from({ length: 2 * SPREAD_BATCH_SIZE + 20 }, (_, i) => `s${i}`);
    const r = await spreadTouchState(collection, 'last_seen_at', ids);
    expect(SPREAD_BATCH_SIZE).toBeLessThan(100);
    expect(batches).toEqual([
      { size: SPREAD_BATCH_SIZE, ordered: false },
      { size: SPREAD_BATCH_SIZE, ordered: false },
      { size: 20, ordered: false },
    ]);
    expect(r.matched).toBe(ids.length - 3);
    expect(r.seconds).toBeGreaterThanOrEqual(0);
  });

  it('writes the end of the list first, so the sessions a loader reads first are the last written (the freshest)', async () => {
    const written: string[] = [];
    const collection = {
      bulkWrite: async (ops: AnyBulkWriteOperation<SessionKeyed>[]) => {
        for (const op of ops) written.push(String(setOf(op)?.filter._id));
        return { matchedCount: ops.length };
      },
    } as unknown as Collection<SessionKeyed>;
    const ids = Array.from({ length: 2 * SPREAD_BATCH_SIZE + 20 }, (_, i) => `s${i}`);
    await spreadTouchState(collection, 'last_seen_at', ids);
    expect(new Set(written)).toEqual(new Set(ids));
    expect(written.slice(-20)).toEqual(ids.slice(0, 20));
    expect(written.slice(0, SPREAD_BATCH_SIZE)).toEqual(ids.slice(-SPREAD_BATCH_SIZE));
  });
});
