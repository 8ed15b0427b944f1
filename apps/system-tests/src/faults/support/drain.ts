import { waitUntil, type RunningProcess } from '@session/testing';
import { freeze, thaw } from './freeze';
import { sleep } from './wait';

export interface DrainRun<T> {
  readonly signalledAt: number;
  /** Null when the process was still running `exitWithinMs` after the signal. */
  readonly exitCode: number | null;
  readonly drainMs: number | null;
  /** The burst's outcomes, all started while the dependency was frozen. */
  readonly burst: T[];
}

export interface DrainOptions<T> {
  /** The process to SIGTERM. */
  readonly target: RunningProcess;
  /** The pid of what the target waits on (the session service, the database): frozen around the signal. */
  readonly dependencyPid: number | undefined;
  /** Extra work started once the dependency is frozen: certainly in flight when the signal lands. */
  readonly burst: () => Promise<T[]>;
  /**
   * Holds once the target has the work it must drain (e.g. its log shows the requests received). Without it
   * the signal follows the burst after a fixed 300 ms, which a loaded machine can outrun.
   */
  readonly arrived?: () => boolean | Promise<boolean>;
  /** How long the dependency stays frozen after the signal: the shortest possible drain. */
  readonly holdAfterSignalMs: number;
  readonly exitWithinMs: number;
}

/**
 * Freezes (SIGSTOP) the dependency, starts a burst of work that therefore
 * stays in flight, sends SIGTERM to the target, thaws the dependency after
 * `holdAfterSignalMs`, and measures how long the target takes to exit.
 */
export async function sigtermWhileHeld<T>(options: DrainOptions<T>): Promise<DrainRun<T>> {
  freeze(options.dependencyPid);
  const burst = options.burst();
  // The burst must reach the target before the signal.
  if (options.arrived) await waitUntil(options.arrived, { what: 'the work held in flight to reach the target', timeoutMs: 10_000 });
  else await sleep(300);
  const signalledAt = Date.now();
  options.target.child.kill('SIGTERM');
  await sleep(options.holdAfterSignalMs);
  thaw(options.dependencyPid);
  // An unref'd timer: once the process has exited, nothing should keep Jest waiting for it.
  const giveUp = sleep(options.exitWithinMs + 2_000, undefined, { ref: false }).then(() => ({ code: null, at: null }));
  const exit = await Promise.race([options.target.exited.then((code) => ({ code, at: Date.now() })), giveUp]);
  return { signalledAt, exitCode: exit.code, drainMs: exit.at === null ? null : exit.at - signalledAt, burst: await burst };
}

/** Started before `at` and answered after it: in flight when the signal landed. */
export function inFlightAt<T extends { startedAt: number; endedAt: number }>(outcomes: readonly T[], at: number): T[] {
  return outcomes.filter((o) => o.startedAt < at && o.endedAt >= at);
}
