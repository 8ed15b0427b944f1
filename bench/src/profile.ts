import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { parseBenchOptions } from './bench-options';
import { progress } from './bench-phases';
import { startStackStoppedOnTermination } from './stop-on-termination';
import { renderSummary, summarizeProfile, type CpuProfile } from './profile-summary';
import { runInLoader } from './run-in-loader';
import { createLiveSessions } from './seed-sessions';
import { spreadTouchState, type SessionKeyed } from './touch-spread';

/**
 * Where the time goes in (1): seeds the sessions with profiling off, restarts
 * both services with `node --cpu-prof` (profiles under tmp/, git-ignored),
 * loads GET /api/sessions/current to saturation, stops them gracefully so
 * V8 writes the profiles, and prints the top self-time functions.
 */
async function main(): Promise<void> {
  const o = parseBenchOptions(process.argv.slice(2), process.env);
  const dir = join(workspaceRoot(), 'tmp', 'bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const profiled = (name: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    return { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`] };
  };
  const stack = await startStackStoppedOnTermination();
  try {
    const live = await createLiveSessions(stack.service.address, o.liveSessions);
    await stack.startServices({ service: profiled('session-service'), gateway: profiled('gateway') });
    const job = (durationS: number) => ({
      kind: 'http' as const,
      url: stack.gateway.url,
      method: 'GET' as const,
      path: '/api/sessions/current',
      credentialHeader: 'authorization' as const,
      credentials: live.tokens.map((t) => `Bearer ${t}`),
      pacing: { concurrency: o.concurrency, durationS },
    });
    // As in the bench: touch writes at their steady state, not none at all (see touch-spread.ts).
    await spreadTouchState(stack.mongo.db(stack.dbName).collection<SessionKeyed>('user_sessions'), 'last_seen_at', live.sessionIds);
    await runInLoader(job(o.warmupS));
    const r = await runInLoader(job(o.phaseS));
    progress(
      `profiled (1) saturation: ${r.perSecond.toFixed(0)} req/s, p50 ${r.latency.p50Ms.toFixed(2)} ms, p99 ${r.latency.p99Ms.toFixed(2)} ms, errors ${r.errors}`,
    );
  } finally {
    await stack.stop();
  }
  for (const name of ['gateway', 'session-service']) {
    const files = readdirSync(join(dir, name)).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) throw new Error(`no profile written for ${name} (did it exit gracefully?)`);
    const profile = JSON.parse(readFileSync(join(dir, name, files[0]), 'utf8')) as CpuProfile;
    process.stdout.write(
      `${renderSummary(`${name} (${join('tmp', 'bench-profiles', dir.split('/').pop() ?? '', name, files[0])})`, summarizeProfile(profile))}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`profile failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
