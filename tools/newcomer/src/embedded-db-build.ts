import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, workspaceRoot } from '@session/testing';

export interface BuildRun {
  code: number | null;
  output: string;
  seconds: number;
}

/** A scratch folder with empty Go caches, as on a machine that never built anything with Go. */
export function coldGoEnv(): { dir: string; env: NodeJS.ProcessEnv; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'newcomer-go-'));
  // -modcacherw: the module cache is writable, so the folder can be deleted afterwards.
  const env = { ...process.env, GOMODCACHE: join(dir, 'mod'), GOCACHE: join(dir, 'cache'), GOFLAGS: '-modcacherw' };
  return { dir, env, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs tools/embedded-db/build.mjs as `npm start` does, with its output into `out` (never dist/, other tests run that binary). */
export async function runEmbeddedDbBuild(out: string, env: NodeJS.ProcessEnv): Promise<BuildRun> {
  const root = workspaceRoot();
  const started = Date.now();
  const build = startProcess(process.execPath, [join(root, 'tools', 'embedded-db', 'build.mjs'), '--out', out], { env, cwd: root });
  const code = await build.exited;
  return { code, output: build.output(), seconds: (Date.now() - started) / 1000 };
}
