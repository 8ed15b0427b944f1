import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Records latencies in microseconds. autocannon's own histogram keeps whole
 * milliseconds, too coarse for 1-3 ms figures and for 1M/10k ratios.
 */
export class LatencyRecorder {
  private readonly histogram: RecordableHistogram = createHistogram();

  recordMs(ms: number): void {
    this.histogram.record(Math.max(1, Math.round(ms * 1_000)));
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.count === 0) return { count: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
    return { count: h.count, p50Ms: h.percentile(50) / 1_000, p99Ms: h.percentile(99) / 1_000, maxMs: h.max / 1_000 };
  }
}
