import type { Saturated } from './bench-phases';
import { int, ms } from './format';
import type { DbOps } from './service-metrics';

/** One saturation round of one side of an A/B comparison. */
export interface RoundFigures {
  perSecond: number;
  errors: number;
  /** CPU milliseconds per successful call of the process named `service` (NaN when not probed). */
  serviceMsPerCall: number;
  databaseMsPerCall: number;
  p50Ms: number;
  p99Ms: number;
  /** The session service's database operations in the round, from its metrics (empty for the bare driver). */
  dbOps: DbOps;
}

export function roundFigures(s: Saturated): RoundFigures {
  const calls = s.saturation.ok;
  const perCall = (name: string) => {
    const cpuS = s.saturationCpu?.[name];
    return cpuS === undefined || calls === 0 ? NaN : (cpuS * 1_000) / calls;
  };
  return {
    perSecond: s.saturation.perSecond,
    errors: s.saturation.errors,
    serviceMsPerCall: perCall('service'),
    databaseMsPerCall: perCall('database'),
    p50Ms: s.saturation.latency.p50Ms,
    p99Ms: s.saturation.latency.p99Ms,
    dbOps: s.dbOps ?? {},
  };
}

/** The median of each figure on its own (with an even count the lower middle one, a measured value). */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  return finite.length ? finite[Math.floor((finite.length - 1) / 2)] : NaN;
}

export interface Side {
  label: string;
  rounds: RoundFigures[];
}

/** "find_by_token 1.92 ms x 41,200; extend_idle 3.10 ms x 150": mean time per database operation over all rounds. */
export function describeDbOps(rounds: readonly RoundFigures[]): string {
  const total: DbOps = {};
  for (const r of rounds)
    for (const [op, s] of Object.entries(r.dbOps)) {
      const t = (total[op] ??= { count: 0, sumS: 0 });
      t.count += s.count;
      t.sumS += s.sumS;
    }
  return Object.entries(total)
    .sort((a, b) => b[1].count - a[1].count)
    .map(([op, s]) => `${op} ${ms((s.sumS * 1_000) / s.count)} ms x ${int(s.count)}`)
    .join('; ');
}

/**
 * Medians per side, every round's throughput in run order (to see the noise), and how the second
 * side compares with the first. "Beyond noise" means the sides' ranges of calls/s do not overlap.
 */
export function renderComparison(title: string, [a, b]: readonly [Side, Side]): string {
  const line = (s: Side) => {
    const m = (pick: (r: RoundFigures) => number) => median(s.rounds.map(pick));
    const errors = s.rounds.reduce((n, r) => n + r.errors, 0);
    const ops = describeDbOps(s.rounds);
    return [
      `  ${s.label}: median ${int(m((r) => r.perSecond))} calls/s (rounds ${s.rounds.map((r) => int(r.perSecond)).join(', ')})`,
      `    CPU per call: ${Number.isNaN(m((r) => r.serviceMsPerCall)) ? '' : `service ${ms(m((r) => r.serviceMsPerCall))} ms + `}database ${ms(m((r) => r.databaseMsPerCall))} ms; p50 ${ms(m((r) => r.p50Ms))} / p99 ${ms(m((r) => r.p99Ms))} ms; errors ${int(errors)}`,
      ...(ops ? [`    database operations (service's metrics, mean): ${ops}`] : []),
    ].join('\n');
  };
  const rates = (s: Side) => s.rounds.map((r) => r.perSecond);
  const change = median(rates(b)) / median(rates(a)) - 1;
  const overlap = Math.max(...rates(a)) >= Math.min(...rates(b)) && Math.max(...rates(b)) >= Math.min(...rates(a));
  return [
    title,
    line(a),
    line(b),
    `  ${b.label} vs ${a.label}: ${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} % calls/s (${overlap ? 'within noise: the rounds overlap' : 'beyond noise: the rounds do not overlap'})`,
  ].join('\n');
}
