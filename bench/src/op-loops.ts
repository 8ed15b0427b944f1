import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from './latency-recorder';
import type { LoadResult, Pacing } from './load-result';

type Operation = (i: number) => Promise<unknown>;

class Tally {
  readonly latency = new LatencyRecorder();
  ok = 0;
  errors = 0;
  firstError?: string;
  issued = 0;

  async run(op: Operation): Promise<void> {
    const i = this.issued++;
    const started = performance.now();
    try {
      await op(i);
      this.latency.recordMs(performance.now() - started);
      this.ok++;
    } catch (err) {
      this.errors++;
      this.firstError ??= err instanceof Error ? err.message : String(err);
    }
  }

  result(durationS: number): LoadResult {
    return { ok: this.ok, errors: this.errors, durationS, perSecond: this.ok / durationS, latency: this.latency.summary(), firstError: this.firstError };
  }
}

/** `concurrency` workers each issue the next operation as soon as the last one finished. */
async function saturate(op: Operation, pacing: Pacing): Promise<LoadResult> {
  const tally = new Tally();
  const started = performance.now();
  const end = started + pacing.durationS * 1_000;
  const worker = async () => {
    while (performance.now() < end) await tally.run(op);
  };
  await Promise.all(Array.from({ length: pacing.concurrency }, worker));
  return tally.result((performance.now() - started) / 1_000);
}

/**
 * Open loop: operations start on a schedule whatever the latency, as real
 * traffic does. When `concurrency` calls are already in flight the due ones
 * count as errors (the target could not keep up), never silently dropped.
 */
async function atFixedRate(op: Operation, pacing: Pacing, rate: number): Promise<LoadResult> {
  const tally = new Tally();
  const started = performance.now();
  const durationMs = pacing.durationS * 1_000;
  let due = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  while (performance.now() - started < durationMs) {
    const target = Math.floor(((performance.now() - started) * rate) / 1_000);
    for (; due < target; due++) {
      if (inFlight >= pacing.concurrency) {
        tally.errors++;
        tally.firstError ??= `more than ${pacing.concurrency} calls in flight at ${rate}/s`;
        continue;
      }
      inFlight++;
      const p: Promise<void> = tally.run(op).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  return tally.result(durationMs / 1_000);
}

/** Drives `op` with the given pacing and reports throughput and latency. */
export function runOperations(op: Operation, pacing: Pacing): Promise<LoadResult> {
  return pacing.ratePerSecond ? atFixedRate(op, pacing, pacing.ratePerSecond) : saturate(op, pacing);
}
