export interface Distribution {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

/**
 * Nearest-rank percentile of ascending `sorted` (p in 0..100): the smallest
 * value with at least p% of the values at or below it; with 40 values, p95 is
 * the 38th. No interpolation, so every figure printed is one that was measured.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** min, median, p95 and max of a small sample (e.g. revocation lags); NaN everywhere when empty. */
export function summarize(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted.length ? sorted[0] : NaN,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** The median of a few repeated figures (A/B rounds); with an even count, the lower middle one, so it is a measured run. */
export function medianIndex(values: readonly number[]): number {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order.length ? order[Math.floor((order.length - 1) / 2)][1] : -1;
}
