import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type RunningProcess } from './child-process';
import { workspaceRoot } from './workspace-root';

/** What every starter of a built app takes besides its own settings. */
export interface AppProcessOptions {
  /** Extra variables (e.g. CREATE_RATE_LIMIT, SESSION_IDLE_TTL); they win over the starter's defaults. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the listening line. */
  timeoutMs?: number;
}

/** A built app running as a child process. */
export interface AppProcess {
  readonly process: RunningProcess;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Path of a built app's bundle, `dist/apps/<app>/main.js`. */
export function appBundle(app: string): string {
  return join(workspaceRoot(), 'dist', 'apps', app, 'main.js');
}

/**
 * Spawns a built app with `env` over the current environment, waits for the
 * JSON log line whose `msg` is `readyMessage`, and returns it parsed.
 */
export async function startAppBundle<Ready>(
  app: string,
  readyMessage: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<AppProcess & { ready: Ready }> {
  const bundle = appBundle(app);
  if (!existsSync(bundle)) throw new Error(`${app} bundle not found at ${bundle}; run: npx nx run ${app}:build`);
  const proc = startProcess(process.execPath, [bundle], { cwd: workspaceRoot(), env: { ...process.env, ...env } });
  try {
    const [line] = await proc.waitForLine(new RegExp(`^\\{.*"msg":"${readyMessage}".*\\}$`), timeoutMs);
    return { process: proc, stop: (signal = 'SIGTERM') => proc.stop(signal), ready: JSON.parse(line) as Ready };
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
}
