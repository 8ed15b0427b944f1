import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type RunningProcess } from './child-process';
import { workspaceRoot } from './workspace-root';

/** Path of a built app's bundle, `dist/apps/<app>/main.js`. */
export function appBundle(app: string): string {
  return join(workspaceRoot(), 'dist', 'apps', app, 'main.js');
}

/**
 * Spawns a built app with `env` over the current environment, waits for the
 * JSON log line whose `msg` is `readyMessage`, and returns it parsed.
 */
export async function startAppBundle<Ready>(app: string, readyMessage: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ proc: RunningProcess; ready: Ready }> {
  const bundle = appBundle(app);
  if (!existsSync(bundle)) throw new Error(`${app} bundle not found at ${bundle}; run: npx nx run ${app}:build`);
  const proc = startProcess(process.execPath, [bundle], { cwd: workspaceRoot(), env: { ...process.env, ...env } });
  try {
    const [line] = await proc.waitForLine(new RegExp(`^\\{.*"msg":"${readyMessage}".*\\}$`), timeoutMs);
    return { proc, ready: JSON.parse(line) as Ready };
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
}
