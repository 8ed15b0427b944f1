import type { BenchStack } from './bench-stack';
import { scrapeGauge } from './gateway-cache-metrics';
import type { LoadResult } from './load-result';
import { rssMb, sampleProcesses, type ProcessUsage } from './process-sampler';
import { runInLoader } from './run-in-loader';
import { gcHookNodeArgs, settledRssMb } from './settled-memory';

export interface CacheMemoryFigures {
  /** Tokens validated once each through the fresh gateway (warm pass + fill pass). */
  validated: number;
  errors: number;
  firstError?: string;
  seconds: number;
  /** Gateway RSS after the warm pass (live pool) and after the fill pass, each after a full GC once it stopped moving, MiB. */
  rssBeforeMb: number;
  rssAfterMb: number;
  /** Gateway RSS the moment the fill pass ended, before that GC (garbage of the load included), MiB. */
  rssAfterPassMb: number;
  /** False when an RSS reading was still moving at its time-out (then it is the last sample). */
  settled: boolean;
  /** session_cache_entries after the warm and the fill pass; undefined without the near cache. */
  entriesBefore?: number;
  entriesAfter?: number;
  /** Peaks over both passes. */
  gateway: ProcessUsage;
  service: ProcessUsage;
}

/** Requests in flight while the memory phase fills the cache (see measureCacheMemory for why fewer than the saturation phases'). */
export const FILL_CONCURRENCY = 8;

/** RSS growth per cache entry, KiB; NaN when the gateway reports no cache entries (no near cache yet). */
export function kibPerEntry(f: Pick<CacheMemoryFigures, 'rssBeforeMb' | 'rssAfterMb' | 'entriesBefore' | 'entriesAfter'>): number {
  const added = (f.entriesAfter ?? 0) - (f.entriesBefore ?? 0);
  return added > 0 ? ((f.rssAfterMb - f.rssBeforeMb) * 1024) / added : NaN;
}

/** One pass: each token validated once (GET /api/sessions/current), `concurrency` connections, bounded by `budgetS`. */
function onePass(url: string, tokens: string[], concurrency: number, budgetS: number): Promise<LoadResult> {
  return runInLoader({
    kind: 'http',
    url,
    method: 'GET',
    path: '/api/sessions/current',
    credentialHeader: 'authorization',
    credentials: tokens.map((t) => `Bearer ${t}`),
    pacing: { concurrency, durationS: budgetS, total: tokens.length },
  });
}

/**
 * Memory with a full near cache: a fresh gateway (default cache settings,
 * SESSION_CACHE_MAX_ENTRIES 100,000) validates the live pool once (warm-up:
 * JIT, pools, first entries), then `fillTokens` once each; its RSS after the
 * first pass and after the second, over the entries the second added, is the
 * memory per entry. Each of those two readings is taken after a full GC in
 * the gateway (memory-gc-hook.ts), so it counts what the cache keeps and not
 * the load's garbage; the peaks of both services are sampled throughout.
 *
 * `concurrency` is lower than the saturation phases': every fill request is
 * a miss (a database read and an idle-expiry write at the service), the
 * database is the bottleneck whatever the number in flight, and 32 in flight
 * on a database of a million sessions queued reads past the service's 5 s
 * operation bound (HTTP 503, session_service_unavailable) without adding
 * throughput.
 */
export async function measureCacheMemory(
  stack: BenchStack,
  liveTokens: string[],
  fillTokens: string[],
  concurrency: number,
  budgetS: number,
): Promise<CacheMemoryFigures> {
  const started = Date.now();
  const gw = await stack.addGateway('cache-fill gateway', stack.service.address, { nodeArgs: gcHookNodeArgs() });
  const sampler = sampleProcesses({ gateway: gw.pid, service: stack.service.pid });
  try {
    const warm = await onePass(gw.url, liveTokens, concurrency, budgetS);
    const before = await settledRssMb(gw.pid);
    const entriesBefore = await scrapeGauge(gw.metricsUrl, 'session_cache_entries');
    const fill = await onePass(gw.url, fillTokens, concurrency, budgetS);
    const rssAfterPassMb = rssMb(gw.pid);
    const { exitCode, signalCode } = gw.proc.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`the cache-fill gateway exited (${exitCode ?? signalCode}) during the fill:\n${gw.proc.output().slice(-4_000)}`);
    }
    const after = await settledRssMb(gw.pid);
    const entriesAfter = await scrapeGauge(gw.metricsUrl, 'session_cache_entries');
    const { gateway, service } = sampler.stop();
    return {
      validated: warm.ok + fill.ok,
      errors: warm.errors + fill.errors,
      firstError: warm.firstError ?? fill.firstError,
      seconds: (Date.now() - started) / 1_000,
      rssBeforeMb: before.mb,
      rssAfterMb: after.mb,
      rssAfterPassMb,
      settled: before.settled && after.settled,
      entriesBefore,
      entriesAfter,
      gateway,
      service,
    };
  } finally {
    sampler.stop();
    await stack.stopExtra(gw);
  }
}
