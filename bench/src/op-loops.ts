import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from './latency-recorder';
import type { LoadResult, Pacing } from './load-result';
import { dueCount, safetyCap, scheduledStartMs } from './open-loop-schedule';

type Operation = (i: number) => Promise<unknown>;

class Tally {
  readonly latency = new LatencyRecorder();
  ok = 0;
  errors = 0;
  firstError?: string;
  issued = 0;

  /** Runs operation number `i`; its latency counts from `fromMs` (performance.now() time), by default from now. */
  async run(op: Operation, i = this.issued, fromMs = performance.now()): Promise<void> {
    this.issued = Math.max(this.issued, i + 1);
    try {
      await op(i);
      this.latency.recordMs(performance.now() - fromMs);
      this.ok++;
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  fail(message: string, count = 1): void {
    this.errors += count;
    this.firstError ??= message;
  }

  result(durationS: number, extra: Partial<LoadResult> = {}): LoadResult {
    return {
      ok: this.ok,
      errors: this.errors,
      durationS,
      perSecond: this.ok / durationS,
      latency: this.latency.summary(),
      firstError: this.firstError,
      ...extra,
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `concurrency` workers each issue the next operation as soon as the last one
 * finished, for `durationS` or until `total` operations were issued.
 */
async function saturate(op: Operation, pacing: Pacing): Promise<LoadResult> {
  const tally = new Tally();
  const started = performance.now();
  const end = started + pacing.durationS * 1_000;
  const total = pacing.total ?? Infinity;
  const worker = async () => {
    while (performance.now() < end && tally.issued < total) await tally.run(op);
  };
  await Promise.all(Array.from({ length: pacing.concurrency }, worker));
  return tally.result((performance.now() - started) / 1_000);
}

/**
 * Open loop: operation i starts at i / rate s whatever the latency, as real
 * traffic does, and its latency counts from that scheduled start
 * (open-loop-schedule.ts), so time spent waiting for the loader, a free
 * connection or a pool slot is part of it. Nothing is dropped: operations
 * stay in flight as long as the target needs, up to a safety cap
 * (`maxInFlight`) far above a healthy target's need; hitting it ends the
 * phase, counts every operation not started as an error and marks the result
 * `capHit`, a failure of the phase.
 */
async function atFixedRate(op: Operation, pacing: Pacing, rate: number): Promise<LoadResult> {
  const tally = new Tally();
  const cap = pacing.maxInFlight ?? safetyCap(rate);
  const durationMs = pacing.durationS * 1_000;
  const total = Math.ceil((durationMs * rate) / 1_000);
  const started = performance.now();
  let issued = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  let capHit = false;
  const pending = new Set<Promise<void>>();
  while (issued < total && !capHit) {
    const due = Math.min(total, dueCount(performance.now() - started, rate));
    for (; issued < due; issued++) {
      if (inFlight >= cap) {
        capHit = true;
        break;
      }
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      const p: Promise<void> = tally.run(op, issued, started + scheduledStartMs(issued, rate)).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    if (issued < total && !capHit) await sleep(Math.max(0, started + scheduledStartMs(issued, rate) - performance.now()));
  }
  if (capHit) tally.fail(`safety cap of ${cap} in flight hit at ${rate}/s: phase failed`, total - issued);
  // Bounded in time as well: operations still queued a drain period after the schedule ended count as failed.
  const drainS = pacing.drainS ?? Math.max(5, pacing.durationS);
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(pending), new Promise((resolve) => (drainTimer = setTimeout(resolve, drainS * 1_000)))]);
  clearTimeout(drainTimer);
  if (pending.size > 0) tally.fail(`${pending.size} still in flight ${drainS} s after the schedule ended: phase failed`, pending.size);
  return tally.result(durationMs / 1_000, { capHit, mostInFlight, unfinished: pending.size });
}

/** Drives `op` with the given pacing and reports throughput and latency. */
export function runOperations(op: Operation, pacing: Pacing): Promise<LoadResult> {
  return pacing.ratePerSecond ? atFixedRate(op, pacing, pacing.ratePerSecond) : saturate(op, pacing);
}
