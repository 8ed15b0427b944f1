/**
 * The open loop's clock. Operation i is due at i / rate seconds after the
 * start, whatever happened to the ones before it; its latency is counted
 * from that moment, not from when the loader got round to sending it, so a
 * request that waited (for the loader's timer, a free connection, a pool
 * slot) carries its wait. Counting from the send instead hides exactly the
 * stalls a p99 target is about (coordinated omission).
 */
export function scheduledStartMs(i: number, ratePerSecond: number): number {
  return (i * 1_000) / ratePerSecond;
}

/** How many operations are due `elapsedMs` after the start (operation 0 is due at once). */
export function dueCount(elapsedMs: number, ratePerSecond: number): number {
  return elapsedMs < 0 ? 0 : Math.floor((elapsedMs * ratePerSecond) / 1_000) + 1;
}

/**
 * The in-flight bound of an open-loop phase: far above what a healthy target
 * needs (10 s of the offered rate, at least 1,024), so it only ever stops a
 * runaway; hitting it fails the phase.
 */
export function safetyCap(ratePerSecond: number): number {
  return Math.max(1_024, Math.ceil(ratePerSecond * 10));
}
