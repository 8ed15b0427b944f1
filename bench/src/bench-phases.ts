import type { Db } from 'mongodb';
import type { BenchOptions } from './bench-options';
import type { BenchStack } from './bench-stack';
import { int, ms } from './format';
import type { LoadResult, Pacing } from './load-result';
import type { LoadJob } from './loader-main';
import type { FloorField } from './mongo-load';
import { sampleProcesses, type ProcessUsage } from './process-sampler';
import { runInLoader } from './run-in-loader';
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
}

export interface PhasePair extends Saturated {
  fixedRate: LoadResult;
}

export interface BenchFigures {
  gateway: PhasePair;
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
  floorBySessionId?: PhasePair;
  baseline: PhasePair;
  patch: Saturated;
  scale: PaddingResult & { gateway: PhasePair; floor: PhasePair };
  /** Peaks during (1): gateway and session service; the baseline's during (4), for comparison. */
  memory: { gateway: ProcessUsage; service: ProcessUsage; baseline: ProcessUsage };
}

type JobFor = (pacing: Pacing) => LoadJob;

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function phase(label: string, job: LoadJob): Promise<LoadResult> {
  const r = await runInLoader(job);
  progress(`${label}: ${int(r.perSecond)}/s, p50 ${ms(r.latency.p50Ms)} ms, p99 ${ms(r.latency.p99Ms)} ms, errors ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`);
  return r;
}

/**
 * A saturation phase with the CPU time of `pids` (and of the loader) measured
 * around it and, when `metricsUrl` is given, the session service's database
 * operations (how many touch writes the reads caused, and their cost).
 */
async function saturate(label: string, job: LoadJob, pids: Record<string, number>, metricsUrl?: string): Promise<Saturated> {
  const opsBefore = metricsUrl ? await scrapeDbOps(metricsUrl) : undefined;
  const sampler = sampleProcesses(Object.fromEntries(Object.entries(pids).filter(([, pid]) => pid > 0)));
  const saturation = await phase(label, job);
  const usage = sampler.stop();
  const dbOps = metricsUrl && opsBefore ? diffDbOps(opsBefore, await scrapeDbOps(metricsUrl)) : undefined;
  const saturationCpu: CpuSplit = Object.fromEntries(Object.entries(usage).map(([name, u]) => [name, u.cpuS]));
  saturationCpu.loader = saturation.loaderCpuS ?? NaN;
  return { saturation, saturationCpu, dbOps };
}

/** Warm-up (discarded), then saturation (with the CPU split), then the fixed offered rate. */
async function measure(label: string, jobFor: JobFor, o: BenchOptions, pids: Record<string, number>, metricsUrl?: string): Promise<PhasePair> {
  await phase(`${label} warm-up`, jobFor({ concurrency: o.concurrency, durationS: o.warmupS }));
  const saturated = await saturate(`${label} saturation`, jobFor({ concurrency: o.concurrency, durationS: o.phaseS }), pids, metricsUrl);
  const fixedRate = await phase(`${label} at ${o.fixedRate}/s`, jobFor({ concurrency: o.concurrency, durationS: o.phaseS, ratePerSecond: o.fixedRate }));
  return { ...saturated, fixedRate };
}

function jobs(stack: BenchStack, live: LiveSessions, cookies: string[], o: BenchOptions) {
  const bearer = live.tokens.map((t) => `Bearer ${t}`);
  return {
    gatewayGet: (pacing: Pacing): LoadJob => ({ kind: 'http', url: stack.gateway.url, method: 'GET', path: '/api/sessions/current', credentialHeader: 'authorization', credentials: bearer, pacing }),
    gatewayPatch: (pacing: Pacing): LoadJob => ({ kind: 'http', url: stack.gateway.url, method: 'PATCH', path: '/api/sessions/current/data', credentialHeader: 'authorization', credentials: bearer, mergePatch: true, pacing }),
    grpc: (pacing: Pacing): LoadJob => ({ kind: 'grpc-validate', address: stack.service.address, tokens: live.tokens, channels: o.channels, pacing }),
    floor: (field: FloorField) => (pacing: Pacing): LoadJob => ({ kind: 'mongo-find', uri: stack.mongoUri, dbName: stack.dbName, field, sessionIds: live.sessionIds, maxPoolSize: 20, pacing }),
    baseline: (pacing: Pacing): LoadJob => ({ kind: 'http', url: stack.baseline?.url ?? '', method: 'GET', path: '/api/sessions/current', credentialHeader: 'cookie', credentials: cookies, pacing }),
  };
}

/**
 * Both apps write a session's slid expiry on a read once its last write is
 * older than the touch interval. Sessions all minted at one moment would make
 * every read phase see either no touch writes or the whole pool due at once,
 * so before each read phase their last writes are spread over the interval
 * (touch-spread.ts): the touch rate is then the steady state.
 */
async function spreadTouches(db: Db, collection: string, field: string, ids: readonly string[]): Promise<void> {
  const r = await spreadTouchState(db.collection<SessionKeyed>(collection), field, ids);
  const missing = ids.length - r.matched;
  progress(`touch state: ${collection}.${field} of ${int(ids.length)} sessions spread over the last ${TOUCH_INTERVAL_MS / 1_000} s in ${r.seconds.toFixed(1)} s${missing ? `; ${int(missing)} NOT FOUND by _id, their touch state is not spread` : ''}`);
}

/** Every measured phase of the run: reads on the live pool, then writes, then the scale phase. */
export async function runAllPhases(stack: BenchStack, live: LiveSessions, baselineSessions: ExpressSessions, o: BenchOptions): Promise<BenchFigures> {
  const job = jobs(stack, live, baselineSessions.cookies, o);
  const database = stack.databasePid;
  const services = { gateway: stack.gateway.pid, service: stack.service.pid, database };
  const metrics = stack.service.metricsUrl;
  const db = stack.mongo.db(stack.dbName);
  const spreadLiveSessions = () => spreadTouches(db, 'user_sessions', 'last_seen_at', live.sessionIds);
  const sample = await db.collection('user_sessions').findOne({});
  const floorField: FloorField = sample !== null && sample._id === sample.session_id ? '_id' : 'session_id';

  await spreadLiveSessions();
  const servicesMemory = sampleProcesses({ gateway: stack.gateway.pid, service: stack.service.pid });
  const gateway = await measure('(1) gateway GET', job.gatewayGet, o, services, metrics);
  const gatewaySweep: BenchFigures['gatewaySweep'] = [];
  for (const rate of o.sweepRates) {
    const result = await phase(`(1) gateway GET at ${rate}/s`, job.gatewayGet({ concurrency: o.concurrency, durationS: o.phaseS, ratePerSecond: rate }));
    gatewaySweep.push({ rate, result });
  }
  const { gateway: gatewayMemory, service: serviceMemory } = servicesMemory.stop();
  await spreadLiveSessions();
  const grpc = await measure('(2) gRPC ValidateSession', job.grpc, o, { service: stack.service.pid, database }, metrics);
  const floor = await measure(`(3) mongodb findOne({${floorField}})`, job.floor(floorField), o, { database });
  const floorBySessionId = floorField === '_id' ? await measure('(3) mongodb findOne({session_id}), informational', job.floor('session_id'), o, { database }) : undefined;
  await spreadTouches(db, 'express_sessions', 'lastModified', baselineSessions.sessionIds);
  const baselineMemory = sampleProcesses({ baseline: stack.baseline?.pid ?? 0 });
  const baseline = await measure('(4) express-session', job.baseline, o, { baseline: stack.baseline?.pid ?? 0, database }, stack.baseline?.metricsUrl);
  const { baseline: baselineUsage } = baselineMemory.stop();

  // Writes before the scale phase, so all of (1)-(4) and (6) run on the same live-pool documents;
  // the patch adds one small key, which the scale phase then reads too.
  const patch = await saturate('(6) gateway PATCH saturation', job.gatewayPatch({ concurrency: o.concurrency, durationS: o.phaseS }), services, metrics);

  progress(`(5) seeding user_sessions to ${int(o.scaleSessions)} documents (budget ${o.seedBudgetS} s)`);
  const padding = await padSessions(db, o.scaleSessions, o.seedBudgetS * 1_000);
  progress(`(5) seeded ${int(padding.inserted)} in ${padding.seconds.toFixed(0)} s; ${int(padding.total)} documents`);
  await spreadLiveSessions();
  const scaleGateway = await measure(`(5) gateway GET @${padding.total}`, job.gatewayGet, o, services, metrics);
  // Only the floor (3) again: the session_id lookup scans the whole collection on FerretDB and times out at scale.
  const scaleFloor = await measure(`(5) mongodb findOne({${floorField}}) @${padding.total}`, job.floor(floorField), o, { database });

  return {
    gateway,
    gatewaySweep,
    grpc,
    floor,
    floorField,
    floorBySessionId,
    baseline,
    patch,
    scale: { ...padding, gateway: scaleGateway, floor: scaleFloor },
    memory: { gateway: gatewayMemory, service: serviceMemory, baseline: baselineUsage },
  };
}
