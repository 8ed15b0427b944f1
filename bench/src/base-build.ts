import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { progress } from './bench-phases';

export interface BaseBuild {
  /** The full commit the build is of. */
  commit: string;
  /** The worktree it runs from (its protos are found from the bundle). */
  cwd: string;
  bundle: string;
}

const git = (args: string[], cwd = workspaceRoot()) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/**
 * The session service as built at `ref`, for a same-run comparison with this checkout's: a detached
 * worktree under tmp/ (gitignored), sharing this checkout's node_modules through a symlink (the
 * dependencies that matter for speed, grpc-js and the driver, are then the same on both sides, so
 * the comparison is of our code), built once and reused by later runs.
 */
export function prepareBaseBuild(ref: string): BaseBuild {
  const root = workspaceRoot();
  const commit = git(['rev-parse', '--verify', `${ref}^{commit}`]);
  const cwd = join(root, 'tmp', `bench-base-${commit.slice(0, 12)}`);
  if (!existsSync(cwd)) {
    progress(`adding a worktree of ${ref} (${commit.slice(0, 12)}) in ${cwd}`);
    git(['worktree', 'add', '--detach', cwd, commit]);
  }
  if (!existsSync(join(cwd, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'), 'dir');
  const bundle = join(cwd, 'dist', 'apps', 'session-service', 'main.js');
  if (!existsSync(bundle)) {
    progress(`building the session service of ${commit.slice(0, 12)}`);
    execFileSync('npx', ['nx', 'run', 'session-service:build', '--output-style=stream'], {
      cwd,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
  }
  return { commit, cwd, bundle };
}
