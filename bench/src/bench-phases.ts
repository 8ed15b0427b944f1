import type { Db } from 'mongodb';
import type { BenchOptions } from './bench-options';
import type { BenchStack } from './bench-stack';
import { FILL_CONCURRENCY, measureCacheMemory, type CacheMemoryFigures } from './cache-memory';
import { currentSessionJob } from './current-session-job';
import { medianIndex } from './distribution';
import { diffCacheCounts, scrapeCacheCounts, type CacheCounts } from './gateway-cache-metrics';
import { int, ms } from './format';
import type { LoadResult, Pacing } from './load-result';
import type { LoadJob } from './loader-main';
import type { FloorField } from './mongo-load';
import { sampleProcesses, type ProcessUsage } from './process-sampler';
import { runInLoader } from './run-in-loader';
import { measureRevocationLag, type RevocationFigures } from './revocation-lag';
import { padSessions, type ExpressSessions, type LiveSessions, type PaddingResult } from './seed-sessions';
import { diffDbOps, scrapeDbOps, type DbOps } from './service-metrics';
import { spreadTouchState, TOUCH_INTERVAL_MS, type SessionKeyed } from './touch-spread';

/** CPU seconds per process during a saturation phase, the loader included. */
export type CpuSplit = Record<string, number>;

export interface Saturated {
  saturation: LoadResult;
  saturationCpu?: CpuSplit;
  /** The session service's database operations during the saturation phase (its /metrics). */
  dbOps?: DbOps;
  /** Gateway phases: its near cache's hits and misses during the phase (`counts` undefined: the gateway has no cache metrics). */
  cache?: CacheProbe;
}

export interface CacheProbe {
  counts?: CacheCounts;
}

export interface PhasePair extends Saturated {
  fixedRate: LoadResult;
  fixedRateCache?: CacheProbe;
}

/** Where a phase's extra figures come from: CPU of these processes, the service's and the gateway's metrics. */
export interface Probes {
  pids: Record<string, number>;
  dbMetricsUrl?: string;
  cacheMetricsUrl?: string;
}

export interface BenchFigures {
  /** (1): the median A/B round's saturation, then the fixed rate. */
  gateway: PhasePair;
  /** Saturation throughput of each alternated round, (1) and (4), in run order. */
  abRounds: { gateway: number[]; baseline: number[] };
  /** (1) through a gateway started with SESSION_CACHE_ENABLED=false: every request a cache miss. */
  coldGateway: PhasePair;
  /** (1) at the lower offered rates of `sweepRates`, in that order. */
  gatewaySweep: { rate: number; result: LoadResult }[];
  grpc: PhasePair;
  /** The floor (3); targets (2) and (5) are judged against it. */
  floor: PhasePair;
  /** `_id`, unless the service's documents do not keep the session id there (then a fallback). */
  floorField: FloorField;
  /**
   * findOne({session_id}) on the live pool, for information only (when the floor is by `_id`):
   * FerretDB 1.24 answers it with a full scan, so it is no floor for anything.
   */
  /** Saturation only (a full scan on FerretDB). */
  floorBySessionId?: Saturated;
  baseline: PhasePair;
  patch: Saturated;
  scale: Omit<PaddingResult, 'tokens'> & { gateway: PhasePair; floor: PhasePair };
  revocation: RevocationFigures;
  cacheMemory: CacheMemoryFigures;
  /** Peaks during (1): gateway and session service; the baseline's during (4), for comparison. */
  memory: { gateway: ProcessUsage; service: ProcessUsage; baseline: ProcessUsage };
}

type JobFor = (pacing: Pacing) => LoadJob;

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function phase(label: string, job: LoadJob): Promise<LoadResult> {
  const r = await runInLoader(job);
  progress(
    `${label}: ${int(r.perSecond)}/s, p50 ${ms(r.latency.p50Ms)} ms, p99 ${ms(r.latency.p99Ms)} ms, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`,
  );
  return r;
}

/** Runs `run` with the gateway's cache counters read before and after; no probe when there is no gateway to ask. */
async function withCache<T>(cacheMetricsUrl: string | undefined, run: () => Promise<T>): Promise<[T, CacheProbe | undefined]> {
  if (!cacheMetricsUrl) return [await run(), undefined];
  const before = await scrapeCacheCounts(cacheMetricsUrl);
  const result = await run();
  return [result, { counts: diffCacheCounts(before, await scrapeCacheCounts(cacheMetricsUrl)) }];
}

/**
 * A saturation phase with the CPU time of the probed processes (and of the
 * loader) measured around it, the session service's database operations
 * (how many touch writes the reads caused, and their cost) and the gateway's
 * cache hits and misses.
 */
export async function saturate(label: string, job: LoadJob, probes: Probes): Promise<Saturated> {
  const { pids, dbMetricsUrl } = probes;
  const opsBefore = dbMetricsUrl ? await scrapeDbOps(dbMetricsUrl) : undefined;
  const sampler = sampleProcesses(Object.fromEntries(Object.entries(pids).filter(([, pid]) => pid > 0)));
  const [saturation, cache] = await withCache(probes.cacheMetricsUrl, () => phase(label, job));
  const usage = sampler.stop();
  const dbOps = dbMetricsUrl && opsBefore ? diffDbOps(opsBefore, await scrapeDbOps(dbMetricsUrl)) : undefined;
  const saturationCpu: CpuSplit = Object.fromEntries(Object.entries(usage).map(([name, u]) => [name, u.cpuS]));
  saturationCpu.loader = saturation.loaderCpuS ?? NaN;
  return { saturation, saturationCpu, dbOps, cache };
}

/** The fixed offered rate (open loop), with the gateway's cache counters around it. */
async function fixedRatePhase(
  label: string,
  jobFor: JobFor,
  o: BenchOptions,
  probes: Probes,
): Promise<Pick<PhasePair, 'fixedRate' | 'fixedRateCache'>> {
  const [fixedRate, fixedRateCache] = await withCache(probes.cacheMetricsUrl, () =>
    phase(`${label} at ${o.fixedRate}/s`, jobFor({ concurrency: o.concurrency, durationS: o.phaseS, ratePerSecond: o.fixedRate })),
  );
  return { fixedRate, fixedRateCache };
}

/** Warm-up (discarded), then saturation (with the CPU split), then the fixed offered rate. */
async function measure(label: string, jobFor: JobFor, o: BenchOptions, probes: Probes): Promise<PhasePair> {
  await phase(`${label} warm-up`, jobFor({ concurrency: o.concurrency, durationS: o.warmupS }));
  const saturated = await saturate(`${label} saturation`, jobFor({ concurrency: o.concurrency, durationS: o.phaseS }), probes);
  return { ...saturated, ...(await fixedRatePhase(label, jobFor, o, probes)) };
}

interface AbSide {
  label: string;
  jobFor: JobFor;
  probes: Probes;
}

/**
 * (1) against (4): warm-ups, then `o.abRounds` saturation rounds alternating
 * A and B, so both see the same drift of the shared machine; each side's
 * median round stands for it (its CPU split and database calls included).
 */
async function alternate(
  a: AbSide,
  b: AbSide,
  o: BenchOptions,
): Promise<{ a: Saturated; b: Saturated; rounds: { a: number[]; b: number[] } }> {
  for (const side of [a, b]) await phase(`${side.label} warm-up`, side.jobFor({ concurrency: o.concurrency, durationS: o.warmupS }));
  const runs: { a: Saturated[]; b: Saturated[] } = { a: [], b: [] };
  for (let r = 1; r <= o.abRounds; r++) {
    runs.a.push(
      await saturate(
        `${a.label} saturation, A/B round ${r}/${o.abRounds}`,
        a.jobFor({ concurrency: o.concurrency, durationS: o.phaseS }),
        a.probes,
      ),
    );
    runs.b.push(
      await saturate(
        `${b.label} saturation, A/B round ${r}/${o.abRounds}`,
        b.jobFor({ concurrency: o.concurrency, durationS: o.phaseS }),
        b.probes,
      ),
    );
  }
  const rates = { a: runs.a.map((s) => s.saturation.perSecond), b: runs.b.map((s) => s.saturation.perSecond) };
  return { a: runs.a[medianIndex(rates.a)], b: runs.b[medianIndex(rates.b)], rounds: rates };
}

function jobs(stack: BenchStack, live: LiveSessions, cookies: string[], o: BenchOptions) {
  const bearer = live.tokens.map((t) => `Bearer ${t}`);
  const getThrough = (url: string) => currentSessionJob(url, live.tokens);
  return {
    getThrough,
    gatewayGet: getThrough(stack.gateway.url),
    gatewayPatch: (pacing: Pacing): LoadJob => ({
      kind: 'http',
      url: stack.gateway.url,
      method: 'PATCH',
      path: '/api/sessions/current/data',
      credentialHeader: 'authorization',
      credentials: bearer,
      mergePatch: true,
      pacing,
    }),
    grpc: (pacing: Pacing): LoadJob => ({
      kind: 'grpc-validate',
      address: stack.service.address,
      tokens: live.tokens,
      channels: o.channels,
      pacing,
    }),
    floor:
      (field: FloorField) =>
      (pacing: Pacing): LoadJob => ({
        kind: 'mongo-find',
        uri: stack.mongoUri,
        dbName: stack.dbName,
        field,
        sessionIds: live.sessionIds,
        maxPoolSize: 20,
        pacing,
      }),
    baseline: (pacing: Pacing): LoadJob => ({
      kind: 'http',
      url: stack.baseline?.url ?? '',
      method: 'GET',
      path: '/api/sessions/current',
      credentialHeader: 'cookie',
      credentials: cookies,
      pacing,
    }),
  };
}

/**
 * Both apps write a session's slid expiry on a read once its last write is
 * older than the touch interval. Sessions all minted at one moment would make
 * every read phase see either no touch writes or the whole pool due at once,
 * so before each read phase their last writes are spread over the interval
 * (touch-spread.ts): the touch rate is then the steady state.
 */
export async function spreadTouches(db: Db, collection: string, field: string, ids: readonly string[]): Promise<void> {
  const r = await spreadTouchState(db.collection<SessionKeyed>(collection), field, ids);
  const missing = ids.length - r.matched;
  progress(
    `touch state: ${collection}.${field} of ${int(ids.length)} sessions spread over the last ${TOUCH_INTERVAL_MS / 1_000} s in ${r.seconds.toFixed(1)} s${missing ? `; ${int(missing)} NOT FOUND by _id, their touch state is not spread` : ''}`,
  );
}

/** Every measured phase of the run: reads on the live pool, then writes and revocations, then the scale and cache-memory phases. */
export async function runAllPhases(
  stack: BenchStack,
  live: LiveSessions,
  baselineSessions: ExpressSessions,
  o: BenchOptions,
): Promise<BenchFigures> {
  const job = jobs(stack, live, baselineSessions.cookies, o);
  const database = stack.databasePid;
  const metrics = stack.service.metricsUrl;
  const gatewayProbes: Probes = {
    pids: { gateway: stack.gateway.pid, service: stack.service.pid, database },
    dbMetricsUrl: metrics,
    cacheMetricsUrl: stack.gateway.metricsUrl,
  };
  const baselineProbes: Probes = { pids: { baseline: stack.baseline?.pid ?? 0, database }, dbMetricsUrl: stack.baseline?.metricsUrl };
  const db = stack.mongo.db(stack.dbName);
  const spreadLiveSessions = () => spreadTouches(db, 'user_sessions', 'last_seen_at', live.sessionIds);
  const sample = await db.collection('user_sessions').findOne({});
  const floorField: FloorField = sample !== null && sample._id === sample.session_id ? '_id' : 'session_id';

  await spreadLiveSessions();
  await spreadTouches(db, 'express_sessions', 'lastModified', baselineSessions.sessionIds);
  const servicesMemory = sampleProcesses({ gateway: stack.gateway.pid, service: stack.service.pid });
  const baselineMemory = sampleProcesses({ baseline: stack.baseline?.pid ?? 0 });
  // Steady state is a warm near cache: validate every live session once first (a miss each, as a
  // request costs without the cache), so the A/B rounds measure the cache and not its filling.
  // The cold figure is the cache-off gateway below.
  const fillCache = (label: string) =>
    phase(
      `${label} gateway GET cache fill, each live session once`,
      job.gatewayGet({ concurrency: o.concurrency, durationS: 300, total: live.tokens.length }),
    );
  await fillCache('(1)');
  const ab = await alternate(
    { label: '(1) gateway GET', jobFor: job.gatewayGet, probes: gatewayProbes },
    { label: '(4) express-session', jobFor: job.baseline, probes: baselineProbes },
    o,
  );
  const gateway: PhasePair = { ...ab.a, ...(await fixedRatePhase('(1) gateway GET', job.gatewayGet, o, gatewayProbes)) };
  const gatewaySweep: BenchFigures['gatewaySweep'] = [];
  for (const rate of o.sweepRates) {
    const result = await phase(
      `(1) gateway GET at ${rate}/s`,
      job.gatewayGet({ concurrency: o.concurrency, durationS: o.phaseS, ratePerSecond: rate }),
    );
    gatewaySweep.push({ rate, result });
  }
  const { gateway: gatewayMemory, service: serviceMemory } = servicesMemory.stop();
  const baseline: PhasePair = { ...ab.b, ...(await fixedRatePhase('(4) express-session', job.baseline, o, baselineProbes)) };
  const { baseline: baselineUsage } = baselineMemory.stop();

  // Cold cache: a second gateway with the near cache off, so every request is a miss (validated over gRPC).
  const cold = await stack.addGateway('cache-off gateway', stack.service.address, { env: { SESSION_CACHE_ENABLED: 'false' } });
  const coldGateway = await measure('(1) gateway GET, cache off', job.getThrough(cold.url), o, {
    pids: { gateway: cold.pid, service: stack.service.pid, database },
    dbMetricsUrl: metrics,
    cacheMetricsUrl: cold.metricsUrl,
  }).finally(() => stack.stopExtra(cold));

  await spreadLiveSessions();
  const serviceProbes: Probes = { pids: { service: stack.service.pid, database }, dbMetricsUrl: metrics };
  const grpc = await measure('(2) gRPC ValidateSession', job.grpc, o, serviceProbes);
  const floor = await measure(`(3) mongodb findOne({${floorField}})`, job.floor(floorField), o, { pids: { database } });
  // Saturation only: the session_id lookup scans the collection on FerretDB (tens per second), so a
  // fixed 1,000/s would only queue scans that the database keeps working through after the phase.
  const floorBySessionId =
    floorField === '_id'
      ? await saturate(
          '(3) mongodb findOne({session_id}), informational',
          job.floor('session_id')({ concurrency: o.concurrency, durationS: o.phaseS }),
          { pids: { database } },
        )
      : undefined;

  // Writes before the scale phase, so all of (1)-(4) and (6) run on the same live-pool documents;
  // the patch adds one small key, which the scale phase then reads too.
  const patch = await saturate(
    '(6) gateway PATCH saturation',
    job.gatewayPatch({ concurrency: o.concurrency, durationS: o.phaseS }),
    gatewayProbes,
  );

  progress(`(8) revocation lag: ${o.revocationTrials} trials, two session-service replicas, two gateways`);
  const revocation = await measureRevocationLag(stack, o.revocationTrials);
  const r = revocation.fromReturn;
  progress(
    `(8) ${r.count} lags: min ${ms(r.min)} / median ${ms(r.median)} / p95 ${ms(r.p95)} / max ${ms(r.max)} ms after the revoke answered; ${revocation.routing}${revocation.problems.length ? `; ${revocation.problems.join('; ')}` : ''}`,
  );

  progress(`(5) seeding user_sessions to ${int(o.scaleSessions)} documents (budget ${o.seedBudgetS} s)`);
  // The padding's tokens fill the near cache in (9), together with the live pool.
  const fillCount = Math.max(0, o.cacheEntries - live.tokens.length);
  const padding = await padSessions(db, o.scaleSessions, o.seedBudgetS * 1_000, {
    keepTokens: fillCount,
    templateSessionId: live.sessionIds[0],
  });
  progress(`(5) seeded ${int(padding.inserted)} in ${padding.seconds.toFixed(0)} s; ${int(padding.total)} documents`);
  await spreadLiveSessions();
  // The seeding outlasts every entry's max age: fill the cache again as before (1), so (5) compares
  // the same steady state with more documents stored rather than a cold cache with a warm one.
  await fillCache('(5)');
  const scaleGateway = await measure(`(5) gateway GET @${padding.total}`, job.gatewayGet, o, gatewayProbes);
  // Only the floor (3) again: the session_id lookup scans the whole collection on FerretDB and times out at scale.
  const scaleFloor = await measure(`(5) mongodb findOne({${floorField}}) @${padding.total}`, job.floor(floorField), o, {
    pids: { database },
  });

  progress(`(9) cache memory: a fresh gateway validates ${int(live.tokens.length)} + ${int(padding.tokens.length)} sessions once each`);
  const cacheMemory = await measureCacheMemory(stack, live.tokens, padding.tokens, FILL_CONCURRENCY, o.fillBudgetS);
  progress(
    `(9) gateway RSS after a full GC ${cacheMemory.rssBeforeMb.toFixed(0)} -> ${cacheMemory.rssAfterMb.toFixed(0)} MB (${cacheMemory.rssAfterPassMb.toFixed(0)} MB before that GC), cache entries ${cacheMemory.entriesBefore ?? 'n/a'} -> ${cacheMemory.entriesAfter ?? 'n/a'}, ${int(cacheMemory.validated)} validated, ${cacheMemory.errors} errors in ${cacheMemory.seconds.toFixed(0)} s`,
  );

  return {
    gateway,
    abRounds: { gateway: ab.rounds.a, baseline: ab.rounds.b },
    coldGateway,
    gatewaySweep,
    grpc,
    floor,
    floorField,
    floorBySessionId,
    baseline,
    patch,
    scale: {
      total: padding.total,
      inserted: padding.inserted,
      seconds: padding.seconds,
      budgetHit: padding.budgetHit,
      gateway: scaleGateway,
      floor: scaleFloor,
    },
    revocation,
    cacheMemory,
    memory: { gateway: gatewayMemory, service: serviceMemory, baseline: baselineUsage },
  };
}
