import type { BenchOptions } from './bench-options';
import { int, ms } from './format';
import type { BenchStack } from './bench-stack';
import type { LoadResult, Pacing } from './load-result';
import type { LoadJob } from './loader-main';
import { sampleMemory, type MemoryPeak } from './memory-sampler';
import { runInLoader } from './run-in-loader';
import { padSessions, type LiveSessions, type PaddingResult } from './seed-sessions';

export interface PhasePair {
  saturation: LoadResult;
  fixedRate: LoadResult;
}

export interface BenchFigures {
  gateway: PhasePair;
  grpc: PhasePair;
  floor: PhasePair;
  /** The floor by `_id`, when the service stores the session id there (see mongo-load.ts). */
  floorById?: PhasePair;
  baseline: PhasePair;
  patch: LoadResult;
  scale: PaddingResult & { gateway: PhasePair; floor: PhasePair; floorById?: PhasePair };
  /** Peaks during (1): gateway and session service; the baseline's during (4), for comparison. */
  memory: { gateway: MemoryPeak; service: MemoryPeak; baseline: MemoryPeak };
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

/** Warm-up (discarded), then saturation, then the fixed offered rate. */
async function measure(label: string, jobFor: JobFor, o: BenchOptions): Promise<PhasePair> {
  await phase(`${label} warm-up`, jobFor({ concurrency: o.concurrency, durationS: o.warmupS }));
  const saturation = await phase(`${label} saturation`, jobFor({ concurrency: o.concurrency, durationS: o.phaseS }));
  const fixedRate = await phase(`${label} at ${o.fixedRate}/s`, jobFor({ concurrency: o.concurrency, durationS: o.phaseS, ratePerSecond: o.fixedRate }));
  return { saturation, fixedRate };
}

function jobs(stack: BenchStack, live: LiveSessions, cookies: string[], o: BenchOptions) {
  const bearer = live.tokens.map((t) => `Bearer ${t}`);
  return {
    gatewayGet: (pacing: Pacing): LoadJob => ({ kind: 'http', url: stack.gateway.url, method: 'GET', path: '/api/sessions/current', credentialHeader: 'authorization', credentials: bearer, pacing }),
    gatewayPatch: (pacing: Pacing): LoadJob => ({ kind: 'http', url: stack.gateway.url, method: 'PATCH', path: '/api/sessions/current/data', credentialHeader: 'authorization', credentials: bearer, mergePatch: true, pacing }),
    grpc: (pacing: Pacing): LoadJob => ({ kind: 'grpc-validate', address: stack.service.address, tokens: live.tokens, channels: o.channels, pacing }),
    floor: (pacing: Pacing): LoadJob => ({ kind: 'mongo-find', uri: stack.mongoUri, dbName: stack.dbName, field: 'session_id', sessionIds: live.sessionIds, maxPoolSize: 20, pacing }),
    floorById: (pacing: Pacing): LoadJob => ({ kind: 'mongo-find', uri: stack.mongoUri, dbName: stack.dbName, field: '_id', sessionIds: live.sessionIds, maxPoolSize: 20, pacing }),
    baseline: (pacing: Pacing): LoadJob => ({ kind: 'http', url: stack.baseline?.url ?? '', method: 'GET', path: '/api/sessions/current', credentialHeader: 'cookie', credentials: cookies, pacing }),
  };
}

/** Every measured phase of the run, writes after the 10k reads, the scale phase last. */
export async function runAllPhases(stack: BenchStack, live: LiveSessions, cookies: string[], o: BenchOptions): Promise<BenchFigures> {
  const job = jobs(stack, live, cookies, o);
  const servicesMemory = sampleMemory({ gateway: stack.gateway.pid, service: stack.service.pid });
  const gateway = await measure('(1) gateway GET', job.gatewayGet, o);
  const { gateway: gatewayMemory, service: serviceMemory } = servicesMemory.stop();
  const grpc = await measure('(2) gRPC ValidateSession', job.grpc, o);
  const floor = await measure('(3) mongodb findOne({session_id})', job.floor, o);
  const sample = await stack.mongo.db(stack.dbName).collection('user_sessions').findOne({});
  const idIsSessionId = sample !== null && sample._id === sample.session_id;
  const floorById = idIsSessionId ? await measure('(3) mongodb findOne({_id})', job.floorById, o) : undefined;
  const baselineMemory = sampleMemory({ baseline: stack.baseline?.pid ?? 0 });
  const baseline = await measure('(4) express-session', job.baseline, o);
  const { baseline: baselineMem } = baselineMemory.stop();

  // Writes before the scale phase, so all of (1)-(4) and (6) run on the same 10k documents;
  // the patch adds one small key, which the scale phase then reads too.
  const patch = await phase('(6) gateway PATCH saturation', job.gatewayPatch({ concurrency: o.concurrency, durationS: o.phaseS }));

  progress(`(5) seeding user_sessions to ${o.scaleSessions.toLocaleString('en-US')} documents (budget ${o.seedBudgetS} s)`);
  const padding = await padSessions(stack.mongo.db(stack.dbName), o.scaleSessions, o.seedBudgetS * 1_000);
  progress(`(5) seeded ${padding.inserted.toLocaleString('en-US')} in ${padding.seconds.toFixed(0)} s; ${padding.total.toLocaleString('en-US')} documents`);
  const scaleGateway = await measure(`(5) gateway GET @${padding.total}`, job.gatewayGet, o);
  const scaleFloor = await measure(`(5) mongodb findOne({session_id}) @${padding.total}`, job.floor, o);
  const scaleFloorById = idIsSessionId ? await measure(`(5) mongodb findOne({_id}) @${padding.total}`, job.floorById, o) : undefined;
  return {
    gateway,
    grpc,
    floor,
    floorById,
    baseline,
    patch,
    scale: { ...padding, gateway: scaleGateway, floor: scaleFloor, floorById: scaleFloorById },
    memory: { gateway: gatewayMemory, service: serviceMemory, baseline: baselineMem },
  };
}
