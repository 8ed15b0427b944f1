import { constants } from 'node:os';
import { progress } from './bench-phases';
import { BenchStack, type ServicesOptions } from './bench-stack';
import { descendants, isAlive } from './process-tree';
import { killLoaders } from './run-in-loader';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long the graceful stop (services drained, database dropped) may take before the rest is killed. */
const GRACEFUL_MS = 20_000;
/** After SIGTERM to what is left, how long before SIGKILL. */
const KILL_AFTER_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `signal` to every descendant still running and waits up to `waitMs` for them to go.
 * Descendants rather than a list of our own children: a signal during start-up, a loader between
 * phases, or a process some phase added all count, whoever started them.
 */
export async function signalDescendants(signal: NodeJS.Signals, waitMs: number): Promise<number> {
  const left = descendants(process.pid);
  for (const p of left) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // Exited meanwhile.
    }
  }
  const deadline = Date.now() + waitMs;
  while (left.some(isAlive) && Date.now() < deadline) await sleep(50);
  return left.filter(isAlive).length;
}

/**
 * On SIGINT, SIGTERM or SIGHUP, and on an error nothing caught, the bench stops every process it
 * started before it exits: `stop()` first (gateways before services, then the database and its
 * data folder), bounded by GRACEFUL_MS; then whatever still runs below this process gets SIGTERM,
 * then SIGKILL. Installed before anything starts, so a signal during start-up kills what has
 * started so far. Without this, a bench killed halfway left its database and services running.
 * Exits 128 + signal number on a signal, 1 on an error. Returns a function that removes the handlers.
 */
export function stopOnTermination(stop: () => Promise<unknown>): () => void {
  let stopping = false;
  const terminate = (reason: string, exitCode: number) => {
    // A second signal while stopping changes nothing: the bounded stop is already under way.
    if (stopping) return;
    stopping = true;
    progress(`${reason}: stopping every process the bench started`);
    killLoaders();
    void Promise.race([stop().catch(() => undefined), sleep(GRACEFUL_MS)])
      .then(() => signalDescendants('SIGTERM', KILL_AFTER_MS))
      .then((left) => (left > 0 ? signalDescendants('SIGKILL', KILL_AFTER_MS) : 0))
      .finally(() => process.exit(exitCode));
  };
  const onSignal = (signal: NodeJS.Signals) => terminate(`received ${signal}`, 128 + constants.signals[signal]);
  const onError = (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    terminate('uncaught error', 1);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}

/** BenchStack.start with stopOnTermination installed first, so a signal at any moment stops what has started. */
export async function startStackStoppedOnTermination(services?: ServicesOptions): Promise<BenchStack> {
  const running: { stack?: BenchStack } = {};
  stopOnTermination(async () => running.stack?.stop());
  running.stack = await BenchStack.start(services);
  return running.stack;
}
