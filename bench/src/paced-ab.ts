/**
 * What does a gateway setting do to the paced latency of (1)? Two gateways in front of one session
 * service, each warm (one pass over the live pool), then alternated open-loop rounds at a fixed rate
 * (A, B, A, B, ...), so both see the same drift of a shared machine; prints every round and each side's
 * median p50 / p99, its RSS peak and the refresh-ahead calls it made.
 *
 *   npx nx run bench:paced-ab -- --a "SESSION_CACHE_MAX_AGE=60s" --b "SESSION_CACHE_MAX_AGE=5m"
 *
 * A side is a space-separated list: `NAME=value` is an environment variable of that gateway, a word
 * starting with `--` a node flag (`--trace-gc` adds the GC pauses during the rounds to the summary). `--rounds` (3), `--seconds` per round (20), `--rate` (1000/s; 0: saturation,
 * the bench's 32 in flight, for the throughput and the RSS peak under it).
 */
import { parseArgs } from 'node:util';
import { parseBenchOptions } from './bench-options';
import { currentSessionJob } from './current-session-job';
import { progress, spreadTouches } from './bench-phases';
import { formatGcPauses, gcPauses } from './gc-trace';
import { diffCacheCounts, scrapeCacheCounts } from './gateway-cache-metrics';
import { int, ms } from './format';
import type { Pacing } from './load-result';
import type { LoadJob } from './loader-main';
import { runMemoryScript } from './memory-script';
import { sampleProcesses } from './process-sampler';
import { runInLoader } from './run-in-loader';
import { medianOf, parseSide, type SideSettings } from './paced-ab-args';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    a: { type: 'string', default: '' },
    b: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
  },
  strict: false,
});
const o = parseBenchOptions([], process.env);
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const rate = Number(args.rate);

interface SideRun {
  name: string;
  settings: SideSettings;
  gw: { url: string; pid: number; metricsUrl: string; proc: { output(): string } };
  /** What the gateway printed during the measured rounds (its --trace-gc lines, when the side asks for them). */
  roundOutput: string;
  perSecond: number[];
  p50: number[];
  p99: number[];
  peakMb: number;
}

runMemoryScript(o.liveSessions, async (stack, live) => {
  const job = (url: string, pacing: Pacing): LoadJob => currentSessionJob(url, live.tokens)(pacing);
  const sides: SideRun[] = [];
  for (const [name, spec] of [
    ['A', String(args.a)],
    ['B', String(args.b)],
  ] as const) {
    const settings = parseSide(spec);
    const gw = await stack.addGateway(`gateway ${name}`, stack.service.address, { env: settings.env, nodeArgs: settings.nodeArgs });
    sides.push({ name: `${name} (${spec || 'defaults'})`, settings, gw, roundOutput: '', perSecond: [], p50: [], p99: [], peakMb: 0 });
  }
  for (const side of sides) await runInLoader(job(side.gw.url, { concurrency: o.concurrency, durationS: 300, total: live.tokens.length }));
  await spreadTouches(stack.mongo.db(stack.dbName), 'user_sessions', 'last_seen_at', live.sessionIds);
  for (let round = 1; round <= rounds; round++) {
    for (const side of sides) {
      const before = await scrapeCacheCounts(side.gw.metricsUrl);
      const outputFrom = side.gw.proc.output().length;
      const sampler = sampleProcesses({ gateway: side.gw.pid, service: stack.service.pid, database: stack.databasePid });
      const r = await runInLoader(
        job(side.gw.url, { concurrency: o.concurrency, durationS: seconds, ratePerSecond: rate > 0 ? rate : undefined }),
      );
      const usage = sampler.stop();
      side.roundOutput += side.gw.proc.output().slice(outputFrom);
      side.peakMb = Math.max(side.peakMb, usage.gateway.sampledPeakMb);
      const cpu = Object.entries(usage)
        .map(([name, u]) => `${name} ${u.cpuS.toFixed(1)}`)
        .join(' + ');
      const counts = diffCacheCounts(before, await scrapeCacheCounts(side.gw.metricsUrl));
      side.perSecond.push(r.perSecond);
      side.p50.push(r.latency.p50Ms);
      side.p99.push(r.latency.p99Ms);
      progress(
        `round ${round}, ${side.name}: ${int(r.perSecond)}/s, p50 ${ms(r.latency.p50Ms)} / p99 ${ms(r.latency.p99Ms)} / max ${ms(r.latency.maxMs)} ms, up to ${int(r.mostInFlight ?? 0)} in flight, errors ${r.errors}, CPU s ${cpu}, ${counts ? `hits ${int(counts.hits)} misses ${int(counts.misses)}` : 'no cache metrics'}`,
      );
    }
  }
  for (const side of sides)
    process.stdout.write(
      `${side.name}: ${rate > 0 ? `at ${int(rate)}/s` : `saturation, median ${int(medianOf(side.perSecond))}/s (rounds ${side.perSecond.map(int).join(', ')}),`} median p50 ${ms(medianOf(side.p50))} ms, median p99 ${ms(medianOf(side.p99))} ms (rounds ${side.p99.map(ms).join(', ')}), RSS peak ${side.peakMb.toFixed(1)} MiB; GC during the rounds: ${formatGcPauses(gcPauses(side.roundOutput))}\n`,
    );
});
