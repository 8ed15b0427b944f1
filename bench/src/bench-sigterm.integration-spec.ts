import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitUntil, workspaceRoot } from '@session/testing';
import { descendants, isAlive, type ProcessEntry } from './process-tree';

// The built bench (the test target builds it, the services and the embedded database first).
const RUN = join(workspaceRoot(), 'dist', 'bench', 'run.js');

/** Every kind of process a bench run starts; each must be running when the signal comes. */
const KINDS: Record<string, RegExp> = {
  'embedded database': /dist\/tools\/embedded-db /,
  'session service': /dist\/apps\/session-service\/main\.js/,
  gateway: /dist\/apps\/gateway\/main\.js/,
  'express-session baseline': /express-session-app\.js/,
  loader: /loader-main\.js/,
};
const missingKinds = (tree: ProcessEntry[]) => Object.keys(KINDS).filter((kind) => !tree.some((p) => KINDS[kind].test(p.command)));

describe('bench stopped by SIGTERM', () => {
  let seen: ProcessEntry[] = [];

  afterAll(() => {
    // Only if the spec failed: nothing of this run may outlive it.
    for (const p of seen.filter(isAlive)) process.kill(p.pid, 'SIGKILL');
  });

  it('stops its database, services, baseline app and loader, then exits 143', async () => {
    const bench = spawn(process.execPath, [RUN, '--quick'], {
      // A small pool and long phases: the stack is up within seconds and a loader is then at work.
      env: { ...process.env, BENCH_LIVE_SESSIONS: '1000', BENCH_PHASE_SECONDS: '60' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    bench.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const pid = bench.pid ?? 0;

    await waitUntil(
      () => {
        seen = descendants(pid);
        return missingKinds(seen).length === 0;
      },
      { what: `every kind of bench process (missing: ${missingKinds(seen).join(', ')})`, timeoutMs: 120_000, intervalMs: 50 },
    ).catch((err: unknown) => {
      bench.kill('SIGKILL');
      throw new Error(`${String(err)}\nbench stderr:\n${stderr}`);
    });
    // Whatever started meanwhile counts too.
    const tree = [...seen, ...descendants(pid).filter((p) => !seen.some((s) => s.pid === p.pid))];
    seen = tree;
    bench.kill('SIGTERM');

    // The graceful stop is bounded (20 s), then SIGTERM and SIGKILL (3 s each) to what is left.
    await waitUntil(() => bench.exitCode !== null || bench.signalCode !== null, {
      what: 'the bench to exit after SIGTERM',
      timeoutMs: 40_000,
    });
    expect(bench.exitCode).toBe(143);
    expect(stderr).toMatch(/received SIGTERM: stopping every process the bench started/);
    expect(tree.filter(isAlive).map((p) => p.command)).toEqual([]);
  }, 180_000);
});
