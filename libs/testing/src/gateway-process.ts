import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type RunningProcess } from './child-process';
import { workspaceRoot } from './workspace-root';

export interface GatewayProcessOptions {
  /** `host:port` of a running session service. */
  sessionServiceUrl: string;
  /** Extra variables (e.g. CREATE_RATE_LIMIT); they win over the defaults set here. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the listening line. */
  timeoutMs?: number;
}

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly process: RunningProcess;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Path of the built gateway bundle. */
export function gatewayBundle(): string {
  return join(workspaceRoot(), 'dist', 'apps', 'gateway', 'main.js');
}

/**
 * Spawns the built gateway on a free loopback port and waits for its
 * "gateway listening" line, from which it reads the port.
 */
export async function startGateway(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const bundle = gatewayBundle();
  if (!existsSync(bundle)) {
    throw new Error(`gateway bundle not found at ${bundle}; run: npx nx run gateway:build`);
  }
  const proc = startProcess(process.execPath, [bundle], {
    cwd: workspaceRoot(),
    env: {
      ...process.env,
      SESSION_SERVICE_URL: options.sessionServiceUrl,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  let line: string;
  try {
    [line] = await proc.waitForLine(/^\{.*"msg":"gateway listening".*\}$/, options.timeoutMs ?? 30_000);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw err;
  }
  const { port, url } = JSON.parse(line) as { port: number; url: string };
  return { url, port, process: proc, stop: (signal = 'SIGTERM') => proc.stop(signal) };
}
