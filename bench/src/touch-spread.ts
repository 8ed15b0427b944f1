import { performance } from 'node:perf_hooks';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';

/**
 * SESSION_TOUCH_INTERVAL's default and the baseline's touchAfter: both apps
 * write a session's slid expiry on a read at most once per this interval.
 */
export const TOUCH_INTERVAL_MS = 60_000;

/** Both collections keep the session id in `_id` (the service's documents, connect-mongo's). */
export type SessionKeyed = { _id: string };

/** Touch writes per second a pool of `sessions` read continuously causes once its last writes are evenly spread. */
export const steadyTouchRate = (sessions: number, intervalMs = TOUCH_INTERVAL_MS) => sessions / (intervalMs / 1_000);

/**
 * One `updateOne` by `_id` per session, setting `field` to `now - U(0, interval)`:
 * last writes spread evenly over the past interval, so during a phase about
 * 1/interval of the pool comes due per second, as in a long-running system.
 */
export function spreadLastWriteOps(
  ids: readonly string[],
  field: string,
  nowMs: number,
  intervalMs = TOUCH_INTERVAL_MS,
  random: () => number = Math.random,
): AnyBulkWriteOperation<SessionKeyed>[] {
  return ids.map((_id) => {
    // Whole milliseconds, as a Date keeps them: a fraction would truncate an age of 59,999.7 ms to a due 60,000.
    const ageMs = Math.floor(random() * intervalMs);
    return { updateOne: { filter: { _id }, update: { $set: { [field]: new Date(nowMs - ageMs) } } } };
  });
}

/**
 * Updates per bulkWrite. Stock FerretDB 1.24's `update` command keeps every
 * statement's query open (a pooled SQLite connection) until the whole command
 * ends, and its pool holds 100 connections: a bulkWrite of 100 or more updates
 * waits forever and wedges the database for every client. The embedded build
 * fixes that (tools/embedded-db/build.mjs); under 100 keeps a bench against a
 * stock FerretDB (BENCH_MONGODB_URI) safe too.
 */
export const SPREAD_BATCH_SIZE = 50;

export interface SpreadResult {
  matched: number;
  seconds: number;
}

/**
 * Spreads the last write time `field` of the sessions `ids` in `collection`
 * (see spreadLastWriteOps), straight through the driver in unordered batches.
 * Each batch takes the clock afresh. The batches go from the end of `ids` to
 * its start, because the loaders read the sessions in list order: the first
 * ones read are then the last written. In the list's order, on a busy machine
 * where the spread takes 30 s, the sessions read first had aged those 30 s
 * when the phase began, and half of a round's reads found a touch due.
 */
export async function spreadTouchState(
  collection: Collection<SessionKeyed>,
  field: string,
  ids: readonly string[],
  batchSize = SPREAD_BATCH_SIZE,
): Promise<SpreadResult> {
  const started = performance.now();
  let matched = 0;
  for (let end = ids.length; end > 0; end -= batchSize) {
    const batch = ids.slice(Math.max(0, end - batchSize), end);
    const result = await collection.bulkWrite(spreadLastWriteOps(batch, field, Date.now()), { ordered: false });
    matched += result.matchedCount;
  }
  return { matched, seconds: (performance.now() - started) / 1_000 };
}
