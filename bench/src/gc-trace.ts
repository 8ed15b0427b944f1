/** What `node --trace-gc` printed, per kind of collection: how many, their total and longest pause. */
export interface GcPauses {
  [kind: string]: { count: number; totalMs: number; maxMs: number };
}

/**
 * Reads the pauses out of `--trace-gc` lines, e.g.
 * `[123:0x5f]  4021 ms: Scavenge 40.1 (52.3) -> 25.0 (52.3) MB, 1.52 / 0.00 ms  (average mu = ...) allocation failure;`
 * (the pause is the first figure after "MB,"; the second is the time spent in external callbacks).
 */
export function gcPauses(output: string): GcPauses {
  const pauses: GcPauses = {};
  for (const m of output.matchAll(/ ms: ([A-Za-z-]+(?: \(reduce\))?) .*?MB, ([\d.]+) \//g)) {
    const kind = m[1];
    const ms = Number(m[2]);
    const k = (pauses[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    k.count++;
    k.totalMs += ms;
    k.maxMs = Math.max(k.maxMs, ms);
  }
  return pauses;
}

export function formatGcPauses(pauses: GcPauses): string {
  const kinds = Object.entries(pauses);
  if (kinds.length === 0) return 'no GC trace';
  return kinds.map(([kind, p]) => `${kind} ${p.count} x, total ${p.totalMs.toFixed(0)} ms, longest ${p.maxMs.toFixed(1)} ms`).join('; ');
}
