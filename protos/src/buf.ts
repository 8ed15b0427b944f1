import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

const repoRoot = join(__dirname, '..', '..');
const protosDir = join(repoRoot, 'protos');
const bufBin = join(repoRoot, 'dist', 'tools', 'go-bin', 'buf');
// A git clone of the repository for the breaking check takes about a second; far more means something hangs.
const BUF_TIMEOUT_MS = 60_000;

/** buf's exit status when it reports findings (lint errors, breaking changes); its own errors exit 1. */
export const BUF_FINDINGS = 100;

export interface BufResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs the pinned buf (built by go-tools:build) and returns its exit status with stdout and stderr together, for failure messages. */
export function runBuf(args: string[]): BufResult {
  if (!existsSync(bufBin)) throw new Error(`${bufBin} is missing: run "npx nx run go-tools:build"`);
  const result = spawnSync(bufBin, args, { cwd: repoRoot, encoding: 'utf8', timeout: BUF_TIMEOUT_MS });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function gitRefExists(ref: string): boolean {
  return spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], { cwd: repoRoot }).status === 0;
}

/**
 * The protos as committed on main, as a buf input. A clone on main has the local branch; a CI
 * checkout of another branch or a detached commit often only has origin/main.
 */
export function committedMainProtos(): string {
  if (gitRefExists('refs/heads/main')) return '.git#branch=main,subdir=protos';
  if (gitRefExists('refs/remotes/origin/main')) return '.git#ref=origin/main,subdir=protos';
  throw new Error('neither a local main branch nor origin/main exists: the breaking check has nothing to compare with');
}

const sessionProtoPath = join('session', 'v1', 'session.proto');

/**
 * Runs `use` on a temp copy of the buf module (buf.yaml and the .proto files) with session.proto
 * edited, and removes the copy afterwards.
 */
export function withEditedProtos<T>(edit: (proto: string) => string, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'protos-'));
  try {
    cpSync(protosDir, dir, { recursive: true, filter: (src) => extname(src) === '' || src.endsWith('.proto') || src.endsWith('buf.yaml') });
    const file = join(dir, sessionProtoPath);
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    // An edit that no longer matches the proto would make a test pass for the wrong reason.
    if (after === before) throw new Error('the edit did not change session.proto');
    writeFileSync(file, after);
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
