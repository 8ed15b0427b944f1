import type { BenchOptions } from './bench-options';
import type { BenchFigures, CacheProbe, PhasePair, Saturated } from './bench-phases';
import { kibPerEntry } from './cache-memory';
import type { Distribution } from './distribution';
import { hitRatio } from './gateway-cache-metrics';
import { int, ms, times } from './format';
import type { LoadResult } from './load-result';
import type { FloorField } from './mongo-load';
import type { ProcessUsage } from './process-sampler';

export interface Row {
  id: string;
  measurement: string;
  value: string;
  target: string;
  /** PASS or FAIL where the row has a target, else empty. */
  result: string;
}

/** The issue's limits. */
export const TARGETS = { p99AtFixedRateMs: 10, vsBaseline: 3, vsFloor: 0.5, scaleLatency: 1.3, rssMb: 200, revocationLagMs: 100 } as const;

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
/** NaN when the reference is zero or missing: a target that cannot be judged does not pass. */
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? a / b : NaN);
/** The first error, cut short: a gRPC deadline message alone runs to 200 characters. */
const errors = (r: LoadResult) => (r.errors ? `, ${int(r.errors)} errors (${(r.firstError ?? 'unknown').slice(0, 48)})` : '');
const latency = (r: LoadResult) => `p50 ${ms(r.latency.p50Ms)} / p99 ${ms(r.latency.p99Ms)} ms${errors(r)}`;
const rate = (r: LoadResult, unit: string) => `${int(r.perSecond)} ${unit}/s, ${latency(r)}`;
/** The near cache's share of lookups in a phase; n/a when the gateway has no cache metrics (before the cache). */
const cacheText = (c: CacheProbe | undefined) => {
  if (!c) return '';
  if (!c.counts) return ', cache hit ratio n/a (no cache metrics)';
  return `, cache hit ratio ${Number.isFinite(hitRatio(c.counts)) ? `${(hitRatio(c.counts) * 100).toFixed(1)}%` : 'n/a'} (${int(c.counts.hits)} hits, ${int(c.counts.misses)} misses)`;
};
/**
 * At a fixed offered rate the achieved rate shows whether the target kept up
 * at all; latency counts from each request's scheduled start (queued waits
 * included); the most requests in flight shows how much queueing there was.
 */
const offered = (r: LoadResult, c?: CacheProbe) =>
  `${int(r.perSecond)}/s achieved, ${latency(r)}${r.mostInFlight ? `, up to ${int(r.mostInFlight)} in flight` : ''}${cacheText(c)}`;
const keptUp = (r: LoadResult, o: BenchOptions) => r.errors === 0 && !r.capHit && r.perSecond >= 0.95 * o.fixedRate;
const lagText = (d: Distribution) => `min ${ms(d.min)} / median ${ms(d.median)} / p95 ${ms(d.p95)} / max ${ms(d.max)} ms`;
const row = (id: string, measurement: string, value: string, target = '', result = ''): Row => ({ id, measurement, value, target, result });

/** The floor's row label; the fallback says why it is not the lookup the service makes. */
const FLOOR_LABELS: Record<FloorField, string> = {
  _id: 'mongodb findOne({_id})',
  session_id: 'mongodb findOne({session_id}) (fallback: service documents have _id != session_id)',
};
/** No target is judged on it: FerretDB 1.24 scans the collection for any filter without `_id`. */
const INFORMATIONAL_FLOOR_LABEL = 'mongodb findOne({session_id}) (a full scan on FerretDB 1.24, informational)';

const CPU_LABELS: Record<string, string> = {
  gateway: 'gateway',
  service: 'session service',
  database: 'database',
  baseline: 'express app',
  loader: 'loader',
};

/**
 * Where the time goes: CPU milliseconds per request at saturation, per
 * process; and the app's database calls per request with their mean time
 * (session service: its db_operation_seconds metric; baseline: driver
 * command events), where the touch writes show up. Failed requests count too: they
 * cost as much, and when most fail a per-success figure would mislead.
 */
function whereRows(id: string, what: string, s: Saturated): Row[] {
  const requests = s.saturation.ok + s.saturation.errors;
  if (requests === 0) return [];
  const rows: Row[] = [];
  if (s.saturationCpu) {
    const parts = Object.entries(s.saturationCpu).map(([name, cpu]) => `${CPU_LABELS[name] ?? name} ${ms((cpu * 1_000) / requests)}`);
    rows.push(row(id, `${what}, CPU ms per request at saturation`, parts.join(' + ')));
  }
  if (s.cache) rows.push(row(id, `${what}, near cache at saturation`, cacheText(s.cache).slice(2)));
  const ops = Object.entries(s.dbOps ?? {});
  if (ops.length > 0) {
    const parts = ops.map(([op, o]) => `${op} ${(o.count / requests).toFixed(2)} x ${ms((o.sumS * 1_000) / o.count)} ms`);
    rows.push(row(id, `${what}, database calls per request`, parts.join(', ')));
  }
  return rows;
}

/** Saturation, CPU split and fixed-rate rows of one target. */
/** A phase's rows; one measured at saturation only (no fixed rate) gets no fixed-rate row. */
function pairRows(id: string, what: string, pair: PhasePair | Saturated | undefined, unit: string, o: BenchOptions): Row[] {
  if (!pair) return [];
  return [
    row(id, `${what}, saturation (${o.concurrency} in flight)`, rate(pair.saturation, unit)),
    ...whereRows(id, what, pair),
    ...('fixedRate' in pair ? [row(id, `${what}, at ${int(o.fixedRate)}/s`, offered(pair.fixedRate, pair.fixedRateCache))] : []),
  ];
}

/**
 * The scale rows: the big collection against the live-pool-only one. The
 * latency target is judged on the worse of the p50 and p99 ratios at the
 * fixed rate (saturation latency only mirrors throughput).
 */
function scaleRows(what: string, big: PhasePair, small: PhasePair, unit: string, f: BenchFigures, o: BenchOptions): Row[] {
  const p50 = ratio(big.fixedRate.latency.p50Ms, small.fixedRate.latency.p50Ms);
  const p99 = ratio(big.fixedRate.latency.p99Ms, small.fixedRate.latency.p99Ms);
  const size = `${int(f.scale.total)} stored`;
  const small10k = `of ${int(o.liveSessions)}`;
  const throughput = ratio(big.saturation.perSecond, small.saturation.perSecond);
  return [
    row('5', `${what}, saturation (${size})`, `${rate(big.saturation, unit)}; ${times(throughput)} ${small10k}`),
    ...whereRows('5', `${what} (${size})`, big),
    row(
      '5',
      `${what}, at ${int(o.fixedRate)}/s (${size})`,
      `${offered(big.fixedRate, big.fixedRateCache)}; p50 ${times(p50)}, p99 ${times(p99)} ${small10k}`,
      `<= ${TARGETS.scaleLatency}x`,
      verdict(Math.max(p50, p99) <= TARGETS.scaleLatency && keptUp(big.fixedRate, o)),
    ),
  ];
}

const memoryText = (peak: ProcessUsage) => `${peak.sampledPeakMb.toFixed(0)} MB peak sampled (VmHWM ${peak.hwmMb.toFixed(0)} MB)`;

function memoryRow(what: string, peak: ProcessUsage, judged: boolean): Row {
  const value = memoryText(peak);
  return judged ? row('7', what, value, `< ${TARGETS.rssMb} MB`, verdict(peak.sampledPeakMb < TARGETS.rssMb)) : row('7', what, value);
}

/**
 * (8): lags over every trial and gateway, judged on the worst one after the
 * revoke call answered; a trial that could not run, or a gateway still
 * serving the token at the poll limit, fails it too.
 */
function revocationRows(f: BenchFigures): Row[] {
  const r = f.revocation;
  const what = `revocation lag, ${r.trials.length} trials x 2 gateways`;
  const ok = r.fromReturn.count > 0 && r.fromReturn.max <= TARGETS.revocationLagMs && r.timeouts === 0 && r.problems.length === 0;
  const problems = r.problems.length ? `; ${r.problems.join('; ')}` : '';
  const timeouts = r.timeouts ? `; ${r.timeouts} still served at the poll limit` : '';
  return [
    row(
      '8',
      `${what}, after the revoke answered`,
      `${lagText(r.fromReturn)}${timeouts}${problems}`,
      `max <= ${TARGETS.revocationLagMs} ms`,
      verdict(ok),
    ),
    row('8', `${what}, after the revoke was sent`, lagText(r.fromSent)),
    row(
      '8',
      'revocation lag, worst per method (after the answer)',
      Object.entries(r.worstByMethod)
        .map(([m, v]) => `${m} ${ms(v)}`)
        .join(', '),
    ),
    row('8', 'revocation setup', r.routing),
  ];
}

/** (9): the gateway with a full near cache, and the session service behind it, each under the RSS limit. */
function cacheMemoryRows(f: BenchFigures): Row[] {
  const c = f.cacheMemory;
  const entries =
    c.entriesAfter === undefined ? 'no cache metrics' : `cache entries ${int(c.entriesBefore ?? 0)} -> ${int(c.entriesAfter)}`;
  const perEntry = Number.isFinite(kibPerEntry(c)) ? `${kibPerEntry(c).toFixed(2)} KiB per entry` : 'per entry n/a';
  const errs = c.errors ? `, ${int(c.errors)} errors (${(c.firstError ?? 'unknown').slice(0, 48)})` : '';
  const value = `RSS after a full GC ${c.rssBeforeMb.toFixed(0)} -> ${c.rssAfterMb.toFixed(0)} MB (${entries}; ${perEntry}), ${memoryText(c.gateway)}${errs}`;
  return [
    row(
      '9',
      `gateway RSS, ${int(c.validated)} sessions validated once each (fresh gateway)`,
      value,
      `< ${TARGETS.rssMb} MB`,
      verdict(c.gateway.sampledPeakMb < TARGETS.rssMb && c.errors === 0),
    ),
    row(
      '9',
      'session service RSS during (9)',
      memoryText(c.service),
      `< ${TARGETS.rssMb} MB`,
      verdict(c.service.sampledPeakMb < TARGETS.rssMb),
    ),
  ];
}

/** One row per figure; rows with a target carry its verdict. */
export function buildRows(f: BenchFigures, o: BenchOptions): Row[] {
  const live = `${int(o.liveSessions)} sessions`;
  const at = `at ${int(o.fixedRate)}/s`;
  const vsBaseline = ratio(f.gateway.saturation.perSecond, f.baseline.saturation.perSecond);
  const vsFloor = ratio(f.grpc.saturation.perSecond, f.floor.saturation.perSecond);
  const floor = FLOOR_LABELS[f.floorField];
  const fixed = f.gateway.fixedRate;
  const rounds = (rates: number[]) => rates.map(int).join(', ');
  const vsBaselineCold = ratio(f.coldGateway.saturation.perSecond, f.baseline.saturation.perSecond);
  return [
    row(
      '1',
      `gateway GET /api/sessions/current, saturation (${live}), median of ${f.abRounds.gateway.length} A/B rounds with (4)`,
      `${rate(f.gateway.saturation, 'req')}; rounds ${rounds(f.abRounds.gateway)} req/s`,
      `>= ${TARGETS.vsBaseline}x (4): ${times(vsBaseline)}`,
      verdict(vsBaseline >= TARGETS.vsBaseline),
    ),
    ...whereRows('1', 'gateway GET', f.gateway),
    row(
      '1',
      `gateway GET /api/sessions/current, ${at}`,
      offered(fixed, f.gateway.fixedRateCache),
      `p99 <= ${TARGETS.p99AtFixedRateMs} ms, rate kept`,
      verdict(fixed.latency.p99Ms <= TARGETS.p99AtFixedRateMs && keptUp(fixed, o)),
    ),
    // Below the target rate, for where the knee is; informational.
    ...f.gatewaySweep.map(({ rate: r, result }) => row('1', `gateway GET /api/sessions/current, at ${int(r)}/s`, offered(result))),
    // Cold cache: a gateway started with SESSION_CACHE_ENABLED=false, every request validated over gRPC; informational.
    row(
      '1',
      `gateway GET, cache off (SESSION_CACHE_ENABLED=false), saturation (${o.concurrency} in flight)`,
      `${rate(f.coldGateway.saturation, 'req')}; ${times(vsBaselineCold)} (4)`,
    ),
    ...whereRows('1', 'gateway GET, cache off', f.coldGateway),
    row('1', `gateway GET, cache off, ${at}`, offered(f.coldGateway.fixedRate, f.coldGateway.fixedRateCache)),
    row(
      '2',
      `gRPC ValidateSession, saturation (${o.concurrency} in flight, ${o.channels} clients)`,
      rate(f.grpc.saturation, 'calls'),
      `>= ${TARGETS.vsFloor}x faster (3): ${times(vsFloor)}`,
      verdict(vsFloor >= TARGETS.vsFloor),
    ),
    ...whereRows('2', 'gRPC ValidateSession', f.grpc),
    row('2', `gRPC ValidateSession, ${at}`, offered(f.grpc.fixedRate)),
    ...pairRows('3', floor, f.floor, 'ops', o),
    ...pairRows('3', INFORMATIONAL_FLOOR_LABEL, f.floorBySessionId, 'ops', o),
    row(
      '4',
      `express-session + connect-mongo GET (${live}), saturation, median of ${f.abRounds.baseline.length} A/B rounds with (1)`,
      `${rate(f.baseline.saturation, 'req')}; rounds ${rounds(f.abRounds.baseline)} req/s`,
    ),
    ...whereRows('4', 'express-session + connect-mongo GET', f.baseline),
    row('4', `express-session + connect-mongo GET (${live}), ${at}`, offered(f.baseline.fixedRate)),
    ...scaleRows('gateway GET', f.scale.gateway, f.gateway, 'req', f, o),
    ...scaleRows(floor, f.scale.floor, f.floor, 'ops', f, o),
    row('6', `gateway PATCH /api/sessions/current/data, saturation (${live})`, rate(f.patch.saturation, 'req')),
    ...whereRows('6', 'gateway PATCH', f.patch),
    memoryRow('gateway RSS during (1)', f.memory.gateway, true),
    memoryRow('session service RSS during (1)', f.memory.service, true),
    memoryRow('express-session baseline RSS during (4)', f.memory.baseline, false),
    ...revocationRows(f),
    ...cacheMemoryRows(f),
  ];
}

/** A Markdown table with padded columns: readable in a terminal, pastes into the README as is. */
export function renderTable(rows: Row[]): string {
  const header = row('#', 'measurement', 'value', 'target', 'result');
  const keys = ['id', 'measurement', 'value', 'target', 'result'] as const;
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
