/**
 * Does a smaller V8 young generation cost the gateway throughput, and what
 * does it save? `npx nx run bench:young-gen-memory -- [--max-semi-space-size=4]`.
 * Two gateways in front of one session service, one with node's defaults
 * (semi-spaces up to 16 MiB) and one with the flag, both warm (near cache
 * full of the live pool, max age 30 min on both); then alternated 10 s saturation rounds (A, B, A,
 * B, A, B) so both see the same drift of a shared machine. Prints each side's
 * median req/s, its RSS peak over the rounds and its RSS after a full GC.
 */
import { parseBenchOptions } from './bench-options';
import { currentSessionJob } from './current-session-job';
import { progress } from './bench-phases';
import { int } from './format';
import type { Pacing } from './load-result';
import type { LoadJob } from './loader-main';
import { sampleProcesses } from './process-sampler';
import { runInLoader } from './run-in-loader';
import { runMemoryScript } from './memory-script';
import { gcHookNodeArgs, settledRssMb } from './settled-memory';

const ROUNDS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const argv = process.argv.slice(2);
const o = parseBenchOptions(argv, process.env);
const flag = argv.find((a) => a.startsWith('--max-semi-space-size=')) ?? '--max-semi-space-size=4';

runMemoryScript(o.liveSessions, async (stack, live) => {
  // Entries outlive the run on both sides: the rounds then measure the gateway's hit path, where its own
  // GC is the variable; past the max age they would measure the database's refetches instead.
  const env = { SESSION_CACHE_MAX_AGE: '30m' };
  const sides = [
    { name: 'defaults', gw: await stack.addGateway('defaults gateway', stack.service.address, { env, nodeArgs: gcHookNodeArgs() }) },
    {
      name: flag,
      gw: await stack.addGateway('young-gen gateway', stack.service.address, { env, nodeArgs: [...gcHookNodeArgs(), flag] }),
    },
  ].map((side) => ({ ...side, rates: [] as number[], peakMb: 0 }));
  const job = (url: string, pacing: Pacing): LoadJob => currentSessionJob(url, live.tokens)(pacing);
  for (const side of sides) await runInLoader(job(side.gw.url, { concurrency: o.concurrency, durationS: 300, total: live.tokens.length }));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of sides) {
      const sampler = sampleProcesses({ gateway: side.gw.pid });
      const r = await runInLoader(job(side.gw.url, { concurrency: o.concurrency, durationS: o.phaseS }));
      side.peakMb = Math.max(side.peakMb, sampler.stop().gateway.sampledPeakMb);
      side.rates.push(r.perSecond);
      progress(`round ${round}, ${side.name}: ${int(r.perSecond)}/s, p99 ${r.latency.p99Ms.toFixed(2)} ms, errors ${r.errors}`);
    }
  }
  for (const side of sides) {
    const settled = await settledRssMb(side.gw.pid);
    process.stdout.write(
      `${side.name}: median ${int(median(side.rates))} req/s (rounds ${side.rates.map(int).join(', ')}), RSS peak ${side.peakMb.toFixed(1)} MiB, after a full GC ${settled.mb.toFixed(1)} MiB\n`,
    );
  }
});
