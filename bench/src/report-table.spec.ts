import { parseBenchOptions } from './bench-options';
import type { BenchFigures, PhasePair } from './bench-phases';
import { summarize } from './distribution';
import type { LoadResult } from './load-result';
import type { RevocationFigures } from './revocation-lag';
import { buildRows, renderTable } from './report-table';

const result = (perSecond: number, p50Ms: number, p99Ms: number, errors = 0): LoadResult => ({
  ok: perSecond * 10,
  errors,
  durationS: 10,
  perSecond,
  latency: { count: perSecond * 10, p50Ms, p99Ms, maxMs: p99Ms * 2 },
  firstError: errors ? 'HTTP 504' : undefined,
});
const pair = (perSecond: number, p50Ms: number, p99Ms: number): PhasePair => ({
  saturation: result(perSecond, p50Ms * 5, p99Ms * 5),
  fixedRate: result(1_000, p50Ms, p99Ms),
  saturationCpu: { gateway: perSecond * 0.01, loader: perSecond * 0.005 },
});
const memory = (mb: number) => ({ sampledPeakMb: mb, hwmMb: mb + 5, cpuS: 1 });
const revocation = (lagsMs: number[], over: Partial<RevocationFigures> = {}): RevocationFigures => ({
  routing: 'gateway n pinned to replica n',
  trials: [],
  fromReturn: summarize(lagsMs),
  fromSent: summarize(lagsMs.map((l) => l + 2)),
  worstByMethod: { 'gRPC RevokeSession': Math.max(...lagsMs) },
  timeouts: 0,
  problems: [],
  ...over,
});

function figures(overrides: Partial<BenchFigures> = {}): BenchFigures {
  return {
    gateway: pair(3_000, 2, 6),
    abRounds: { gateway: [2_900, 3_000, 3_100], baseline: [950, 900, 1_000] },
    coldGateway: pair(1_200, 20, 60),
    gatewaySweep: [
      { rate: 250, result: result(250, 1, 2) },
      { rate: 500, result: result(500, 1.5, 4) },
    ],
    grpc: pair(4_000, 1, 3),
    floor: pair(7_000, 0.4, 1.5),
    floorField: '_id',
    floorBySessionId: { saturation: result(100, 100, 10_000), saturationCpu: { database: 2 } },
    baseline: pair(950, 2.5, 8),
    patch: { saturation: result(900, 10, 30) },
    scale: {
      total: 1_000_000,
      inserted: 990_000,
      seconds: 80,
      budgetHit: false,
      gateway: pair(2_900, 2.2, 7),
      floor: pair(6_800, 0.44, 1.6),
    },
    memory: { gateway: memory(90), service: memory(110), baseline: memory(70) },
    revocation: revocation([3, 5, 8, 40, 12]),
    cacheMemory: {
      validated: 100_000,
      errors: 0,
      seconds: 90,
      rssBeforeMb: 110,
      rssAfterMb: 155,
      rssAfterPassMb: 190,
      settled: true,
      entriesBefore: 10_000,
      entriesAfter: 100_000,
      gateway: memory(160),
      service: memory(150),
    },
    ...overrides,
  };
}

const options = parseBenchOptions([], {});
const rowOf = (f: BenchFigures, start: string) => buildRows(f, options).find((r) => r.measurement.startsWith(start));
const verdicts = (f: BenchFigures) =>
  buildRows(f, options)
    .filter((r) => r.result)
    .map((r) => `${r.id} ${r.result}`);

describe('buildRows', () => {
  it('passes every target when the figures meet them', () => {
    expect(verdicts(figures())).toEqual([
      '1 PASS',
      '1 PASS',
      '2 PASS',
      '5 PASS',
      '5 PASS',
      '7 PASS',
      '7 PASS',
      '8 PASS',
      '9 PASS',
      '9 PASS',
    ]);
  });

  it('fails each target on its own figure', () => {
    const bad = figures({
      gateway: { saturation: result(2_000, 10, 30), fixedRate: result(1_000, 3, 12) },
      grpc: pair(2_000, 1, 3),
      scale: { ...figures().scale, gateway: pair(2_900, 2.2, 16), floor: pair(6_800, 0.6, 1.6) },
      memory: { gateway: memory(210), service: memory(110), baseline: memory(70) },
      revocation: revocation([3, 5, 101]),
      cacheMemory: { ...figures().cacheMemory, gateway: memory(201) },
    });
    expect(verdicts(bad)).toEqual(['1 FAIL', '1 FAIL', '2 FAIL', '5 FAIL', '5 FAIL', '7 FAIL', '7 PASS', '8 FAIL', '9 FAIL', '9 PASS']);
  });

  it('lists (1) at the lower sweep rates after the target row, without a verdict', () => {
    const rows = buildRows(figures(), options).filter((r) => r.measurement.startsWith('gateway GET /api/sessions/current, at'));
    expect(rows.map((r) => [r.measurement.split(', ')[1], r.value, r.result])).toEqual([
      ['at 1,000/s', expect.stringContaining('p99 6.00'), 'PASS'],
      ['at 250/s', expect.stringContaining('p50 1.00 / p99 2.00 ms'), ''],
      ['at 500/s', expect.stringContaining('p50 1.50 / p99 4.00 ms'), ''],
    ]);
  });

  it('fails the latency target when requests failed at the fixed rate', () => {
    const f = figures({ gateway: { ...figures().gateway, fixedRate: result(990, 2, 6, 12) } });
    const row = rowOf(f, 'gateway GET /api/sessions/current, at');
    expect(row?.result).toBe('FAIL');
    expect(row?.value).toContain('12 errors (HTTP 504)');
  });

  it('fails the latency target when the fixed rate was not reached', () => {
    const f = figures({ gateway: { ...figures().gateway, fixedRate: result(600, 2, 6) } });
    expect(rowOf(f, 'gateway GET /api/sessions/current, at')).toMatchObject({
      value: expect.stringContaining('600/s achieved'),
      result: 'FAIL',
    });
  });

  it('does not pass a ratio target whose reference measured nothing', () => {
    const f = figures({ baseline: { ...figures().baseline, saturation: result(0, NaN, NaN, 64) } });
    expect(rowOf(f, 'gateway GET /api/sessions/current, saturation')).toMatchObject({ target: '>= 3x (4): n/a', result: 'FAIL' });
  });

  it('prints the ratios the targets are judged on', () => {
    expect(rowOf(figures(), 'gateway GET /api/sessions/current, saturation')?.target).toBe('>= 3x (4): 3.16x');
    expect(rowOf(figures(), 'gRPC ValidateSession, saturation')?.target).toBe('>= 0.5x faster (3): 0.57x');
    expect(rowOf(figures(), 'gateway GET, at')?.value).toContain('p50 1.10x, p99 1.17x of 10,000');
  });

  it('compares the median A/B rounds and lists every round', () => {
    const row = rowOf(figures(), 'gateway GET /api/sessions/current, saturation');
    expect(row?.measurement).toContain('median of 3 A/B rounds with (4)');
    expect(row?.value).toContain('rounds 2,900, 3,000, 3,100 req/s');
    expect(rowOf(figures(), 'express-session + connect-mongo GET (10,000 sessions), saturation')?.value).toContain(
      'rounds 950, 900, 1,000 req/s',
    );
  });

  it('shows the cache hit ratio of a gateway phase, n/a before the gateway has a cache', () => {
    const withCache = { ...figures().gateway, cache: { counts: { hits: 970, misses: 30 } }, fixedRateCache: { counts: undefined } };
    expect(rowOf(figures({ gateway: withCache }), 'gateway GET, near cache at saturation')?.value).toBe(
      'cache hit ratio 97.0% (970 hits, 30 misses)',
    );
    expect(rowOf(figures({ gateway: withCache }), 'gateway GET /api/sessions/current, at 1,000/s')?.value).toContain(
      'cache hit ratio n/a (no cache metrics)',
    );
    expect(rowOf(figures(), 'gateway GET, near cache')).toBeUndefined();
  });

  it('fails the fixed-rate target when the open loop hit its safety cap', () => {
    const f = figures({ gateway: { ...figures().gateway, fixedRate: { ...result(1_000, 2, 6), capHit: true, mostInFlight: 10_000 } } });
    expect(rowOf(f, 'gateway GET /api/sessions/current, at')).toMatchObject({
      value: expect.stringContaining('up to 10,000 in flight'),
      result: 'FAIL',
    });
  });

  it('prints the revocation lag distribution and fails it on a poll time-out or a trial that could not run', () => {
    expect(rowOf(figures(), 'revocation lag, 0 trials x 2 gateways, after the revoke answered')?.value).toBe(
      'min 3.00 / median 8.00 / p95 40.00 / max 40.00 ms',
    );
    expect(
      rowOf(figures({ revocation: revocation([3], { timeouts: 1 }) }), 'revocation lag, 0 trials x 2 gateways, after the revoke answered')
        ?.result,
    ).toBe('FAIL');
    expect(
      rowOf(figures({ revocation: revocation([3], { problems: ['trial 2: warm-up GET answered 500'] }) }), 'revocation lag, 0 trials')
        ?.result,
    ).toBe('FAIL');
    expect(rowOf(figures({ revocation: revocation([]) }), 'revocation lag, 0 trials')?.result).toBe('FAIL');
  });

  it('gives the memory per cache entry, n/a without cache metrics', () => {
    expect(rowOf(figures(), 'gateway RSS, 100,000 sessions validated')?.value).toContain(
      'RSS after a full GC 110 -> 155 MB (cache entries 10,000 -> 100,000; 0.51 KiB per entry)',
    );
    const none = figures({ cacheMemory: { ...figures().cacheMemory, entriesBefore: undefined, entriesAfter: undefined } });
    expect(rowOf(none, 'gateway RSS, 100,000 sessions validated')?.value).toContain('(no cache metrics; per entry n/a)');
  });

  it('splits CPU time per operation over the processes', () => {
    const cpu = buildRows(figures(), options).find((r) => r.measurement === 'gateway GET, CPU ms per request at saturation');
    expect(cpu?.value).toBe('gateway 1.00 + loader 0.50');
  });

  it('shows the database calls per request and their mean time', () => {
    const gateway = {
      ...figures().gateway,
      dbOps: { find_by_id: { count: 30_000, sumS: 30 }, extend_idle_expiry: { count: 6_000, sumS: 60 } },
    };
    expect(rowOf(figures({ gateway }), 'gateway GET, database calls per request')?.value).toBe(
      'find_by_id 1.00 x 1.00 ms, extend_idle_expiry 0.20 x 10.00 ms',
    );
  });

  it('judges (2) and the scale floor on the _id floor, never on the informational session_id lookup', () => {
    const rows = buildRows(figures(), options);
    expect(rows.filter((r) => r.id === '3').map((r) => r.measurement)).toEqual([
      'mongodb findOne({_id}), saturation (32 in flight)',
      'mongodb findOne({_id}), CPU ms per request at saturation',
      'mongodb findOne({_id}), at 1,000/s',
      'mongodb findOne({session_id}) (a full scan on FerretDB 1.24, informational), saturation (32 in flight)',
      'mongodb findOne({session_id}) (a full scan on FerretDB 1.24, informational), CPU ms per request at saturation',
    ]);
    expect(rows.filter((r) => r.id === '3').every((r) => r.target === '' && r.result === '')).toBe(true);
    expect(rowOf(figures(), 'mongodb findOne({_id}), at 1,000/s (1,000,000 stored)')).toMatchObject({
      value: expect.stringContaining('p50 1.10x, p99 1.07x of 10,000'),
      result: 'PASS',
    });
    expect(rows.filter((r) => r.id === '5').some((r) => r.measurement.includes('session_id'))).toBe(false);
  });

  it('leaves out the informational rows when the session_id lookup was not measured', () => {
    const rows = buildRows(figures({ floorBySessionId: undefined }), options);
    expect(rows.filter((r) => r.id === '3')).toHaveLength(3);
    expect(rows.some((r) => r.measurement.includes('informational'))).toBe(false);
  });

  it('falls back to the session_id floor, and says so, when the service does not keep the session id in _id', () => {
    const f = figures({
      floor: pair(6_000, 0.5, 2),
      floorField: 'session_id',
      floorBySessionId: undefined,
      scale: { ...figures().scale, floor: pair(5_800, 0.55, 2.2) },
    });
    expect(rowOf(f, 'gRPC ValidateSession, saturation')?.target).toBe('>= 0.5x faster (3): 0.67x');
    const fallback = 'mongodb findOne({session_id}) (fallback: service documents have _id != session_id)';
    expect(rowOf(f, `${fallback}, saturation`)?.value).toContain('6,000 ops/s');
    expect(rowOf(f, `${fallback}, at 1,000/s (1,000,000 stored)`)?.result).toBe('PASS');
    expect(buildRows(f, options).some((r) => r.measurement.includes('{_id}'))).toBe(false);
  });
});

describe('renderTable', () => {
  it('pads every column to the same width', () => {
    const lines = renderTable(buildRows(figures(), options)).split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^\| # +\| measurement +\| value +\| target +\| result \|$/);
  });
});
