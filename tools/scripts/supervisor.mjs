// Keeps one process of the development stack running: a crash is followed by a
// restart after a delay that doubles with each crash in a recent window, and a
// part that keeps crashing is given up on (the caller then stops everything and
// says why) instead of being restarted forever or silently left dead.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const RESTART_POLICY = Object.freeze({
  firstDelayMs: 500,
  maxDelayMs: 10_000,
  // Six crashes within a minute: restarts after 0.5, 1, 2, 4 and 8 s did not help.
  maxFailures: 6,
  windowMs: 60_000,
});

const STOP_GRACE_MS = 10_000;

/** Delay before the restart that follows the `failures`-th crash within the window (1-based). */
export function restartDelayMs(failures, policy = RESTART_POLICY) {
  return Math.min(policy.firstDelayMs * 2 ** (failures - 1), policy.maxDelayMs);
}

function describeExit(code, signal) {
  if (signal) return `killed by ${signal}`;
  return `exit code ${code}`;
}

/**
 * Runs `command args` and restarts it when it ends by itself. `log` receives one
 * line per event; `onGiveUp(reason)` is called once when the part keeps failing.
 * Its output is passed through and its last lines kept, so the reason can quote them.
 */
export function supervise({ name, command, args = [], env = process.env, cwd, log, onGiveUp, policy = RESTART_POLICY }) {
  let child;
  let restartTimer;
  let stopping = false;
  let lastLines = {};
  let exited = Promise.resolve();
  const failures = [];

  function failed(what) {
    const now = Date.now();
    failures.push(now);
    while (failures[0] <= now - policy.windowMs) failures.shift();
    // Its own words, where it left any: stderr first, else stdout (pino writes even fatal errors there).
    const said = lastLines.stderr ?? lastLines.stdout;
    const reason = said ? `${what}; its last output line: ${said}` : what;
    if (failures.length >= policy.maxFailures) {
      log(`${name} ${what}: ${failures.length} failures within ${policy.windowMs / 1000} s, giving up`);
      onGiveUp(`${name} keeps failing (${failures.length} times within ${policy.windowMs / 1000} s), last: ${reason}`);
      return;
    }
    const delay = restartDelayMs(failures.length, policy);
    log(`${name} ${what}; restarting it in ${delay / 1000} s`);
    restartTimer = setTimeout(() => launch(true), delay);
  }

  function launch(again) {
    if (stopping) return;
    lastLines = {};
    // Its own process group: the terminal's Ctrl-C reaches us, and we stop the parts in order, once each.
    const proc = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = proc;
    let ended = false;
    exited = new Promise((resolve) => {
      const end = (what) => {
        if (ended) return;
        ended = true;
        resolve();
        if (!stopping) failed(what);
      };
      proc.once('error', (err) => end(`could not be started (${err.message})`));
      proc.once('exit', (code, signal) => end(`exited (${describeExit(code, signal)})`));
    });
    for (const stream of ['stdout', 'stderr']) {
      proc[stream].on('data', (chunk) => {
        process[stream].write(chunk);
        const lines = chunk
          .toString('utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        if (lines.length) lastLines[stream] = lines.at(-1).slice(0, 300);
      });
    }
    if (proc.pid) log(`${name} ${again ? 're' : ''}started (pid ${proc.pid})`);
  }

  launch(false);

  return {
    name,
    get pid() {
      return child?.pid;
    },
    /** Stops the part for good (no restart): `signal`, then SIGKILL after the grace period. */
    async stop(signal = 'SIGTERM', graceMs = STOP_GRACE_MS) {
      stopping = true;
      clearTimeout(restartTimer);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Exit code for a process ended by `signal` (128 + its number), as shells report it. */
export function signalExitCode(signal) {
  return 128 + (constants.signals[signal] ?? 0);
}
