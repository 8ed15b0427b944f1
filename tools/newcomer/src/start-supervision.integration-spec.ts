import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, workspaceRoot, type RunningProcess } from '@session/testing';

// Nx checks the (cached) builds first; on two busy cores that alone can take a minute.
const READY_LIMIT_MS = 180_000;
const RECOVERY_LIMIT_MS = 30_000;
const STOP_LIMIT_MS = 45_000;

interface Stack {
  proc: RunningProcess;
  gatewayPort: number;
  servicePort: number;
  ports: number[];
  dir: string;
}

/** `node tools/scripts/start.mjs [last part]` on free ports, with its own data folder. */
async function startStack(options: { dataDir?: string; last?: string } = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'newcomer-start-'));
  const [gatewayPort, dbPort, servicePort, accountsPort, metricsPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const env = {
    ...process.env,
    GATEWAY_PORT: String(gatewayPort),
    EMBEDDED_DB_PORT: String(dbPort),
    SESSION_SERVICE_URL: `127.0.0.1:${servicePort}`,
    ACCOUNTS_SERVICE_URL: `127.0.0.1:${accountsPort}`,
    // A fixed port, as a user would set it: every part reads this one environment, so only the
    // session service may take METRICS_PORT (the accounts service once did too, and never started).
    METRICS_PORT: String(metricsPort),
    GATEWAY_METRICS_PORT: '0',
    EMBEDDED_DB_DATA_DIR: options.dataDir ?? join(dir, 'db'),
    LOG_LEVEL: 'warn',
  };
  const root = workspaceRoot();
  const proc = startProcess(process.execPath, [join(root, 'tools', 'scripts', 'start.mjs'), ...(options.last ? [options.last] : [])], {
    env,
    cwd: root,
  });
  return { proc, gatewayPort, servicePort, ports: [gatewayPort, dbPort, servicePort, accountsPort, metricsPort], dir };
}

/** Pids start reported for a part ("start: <part> started (pid N)", also "restarted"), every part when none is named. */
function reportedPids(stack: Stack, part = '[a-z-]+'): number[] {
  return [...stack.proc.output().matchAll(new RegExp(`^start: ${part} (?:re)?started \\(pid (\\d+)\\)`, 'gm'))].map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(!socket.destroy()));
    socket.once('error', () => resolve(false));
  });
}

async function readyzStatus(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Start's exit code, or 'still running' after `limitMs`. */
async function exitCodeWithin(stack: Stack, limitMs: number): Promise<number | null | string> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), limitMs)));
  try {
    return await Promise.race([stack.proc.exited, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Once start has exited: none of the processes it reported and none of its ports is left. */
async function expectNothingLeft(stack: Stack): Promise<void> {
  const pids = reportedPids(stack);
  expect(pids.length).toBeGreaterThan(0);
  expect(pids.filter(alive)).toEqual([]);
  for (const port of stack.ports) expect(await accepts(port)).toBe(false);
}

/** After a failed assertion: stop start as a user would, and kill whatever it left. */
async function cleanUp(stack: Stack): Promise<void> {
  await stack.proc.stop('SIGINT', STOP_LIMIT_MS);
  for (const pid of reportedPids(stack).filter(alive)) process.kill(pid, 'SIGKILL');
}

describe('npm start keeps the stack it started alive', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await stack.proc.waitForLine(/^Ready: http:\/\/127\.0\.0\.1:\d+\//, READY_LIMIT_MS);
  }, READY_LIMIT_MS + 10_000);

  afterAll(async () => {
    if (!stack) return;
    await cleanUp(stack);
    rmSync(stack.dir, { recursive: true, force: true });
  });

  // The README's grpcurl commands run against `npm start`: its session service must serve reflection
  // (the serve target's GRPC_REFLECTION, which start once dropped when it ran the parts itself).
  it('serves gRPC reflection, so the README grpcurl commands work', () => {
    const grpcurl = join(workspaceRoot(), 'dist', 'tools', 'go-bin', 'grpcurl');
    const out = execFileSync(grpcurl, ['-plaintext', `127.0.0.1:${stack.servicePort}`, 'describe', 'session.v1.SessionService'], {
      encoding: 'utf8',
    });
    expect(out).toContain('rpc ValidateSession');
  });

  it.each(['embedded-db', 'session-service', 'gateway'])(
    'restarts %s after kill -9, and /readyz answers 200 again',
    async (part) => {
      const [pid] = reportedPids(stack, part);
      process.kill(pid, 'SIGKILL');
      await stack.proc.waitForLine(
        new RegExp(`^start: ${part} exited \\(killed by SIGKILL\\); restarting it in 0\\.5 s`),
        RECOVERY_LIMIT_MS,
      );
      await stack.proc.waitForLine(new RegExp(`^start: ${part} restarted \\(pid \\d+\\)`), RECOVERY_LIMIT_MS);
      const [, restarted] = reportedPids(stack, part);
      expect(alive(restarted)).toBe(true);
      await waitFor('/readyz answers 200', async () => (await readyzStatus(stack.gatewayPort)) === 200, RECOVERY_LIMIT_MS);
    },
    2 * RECOVERY_LIMIT_MS + 5_000,
  );

  it(
    'stops every process it started on SIGINT',
    async () => {
      stack.proc.child.kill('SIGINT');
      const code = await exitCodeWithin(stack, STOP_LIMIT_MS);
      expect(code).toBe(0);
      await expectNothingLeft(stack);
    },
    STOP_LIMIT_MS + 5_000,
  );
});

describe('npm start with a part that keeps crashing', () => {
  it('backs off 0.5, 1, 2, 4, 8 s, then stops everything and exits non-zero naming the part and the reason', async () => {
    // A data "folder" that is a file: the database exits at once, every time.
    const dir = mkdtempSync(join(tmpdir(), 'newcomer-crash-'));
    const notAFolder = join(dir, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const stack = await startStack({ dataDir: notAFolder, last: 'embedded-db' });
    try {
      const code = await exitCodeWithin(stack, 100_000);
      const output = stack.proc.output();
      expect(code).toBe(1);
      const delays = [...output.matchAll(/^start: embedded-db exited \(exit code 1\); restarting it in ([\d.]+) s/gm)].map((m) =>
        Number(m[1]),
      );
      expect(delays).toEqual([0.5, 1, 2, 4, 8]);
      expect(output).toMatch(
        /^start: embedded-db keeps failing \(6 times within 60 s\), last: exited \(exit code 1\); its last output line: .*cannot create data directory.*; stopping everything$/m,
      );
      expect(output).not.toMatch(/^Ready:/m);
      await expectNothingLeft(stack);
    } finally {
      await cleanUp(stack);
      rmSync(dir, { recursive: true, force: true });
      rmSync(stack.dir, { recursive: true, force: true });
    }
  }, 120_000);
});
