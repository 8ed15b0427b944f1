// `npm start`: builds and runs the whole stack (embedded database, session
// service, gateway serving the web app) through Nx continuous tasks, waits
// until the gateway is ready and says where to go. Ctrl-C or SIGTERM stops
// everything: Nx gets the signal and stops its tasks gracefully; whatever is
// still running after the grace period is killed, so nothing is left behind.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantsOf, isRunning } from './process-tree.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The target can be overridden (e.g. `npm start -- embedded-db:serve`) to run one part alone.
const target = process.argv[2] ?? 'gateway:serve';
const port = process.env.GATEWAY_PORT || '3000';
const readyUrl = `http://127.0.0.1:${port}/readyz`;
const STOP_GRACE_MS = 15_000;
const POLL_MS = 250;

/** True when something already accepts connections on the port (an earlier stack still running, say). */
function portInUse(portNumber) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: Number(portNumber) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Otherwise the old process would answer /readyz and "Ready" would be a lie.
if (await portInUse(port)) {
  console.error(`start: 127.0.0.1:${port} is already in use (another npm start still running?); stop it or set GATEWAY_PORT`);
  process.exit(1);
}

const child = spawn(join(root, 'node_modules', '.bin', 'nx'), ['run', target, '--output-style=stream'], {
  cwd: root,
  stdio: 'inherit',
  detached: true, // own process group: the terminal's Ctrl-C is ours to forward, once
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});

let childExit;
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((childExit = code ?? 128 + (constants.signals[signal] ?? 0)))));

// Every process Nx started, remembered while they run: if Nx itself dies,
// its tasks are re-parented and can no longer be found from its pid.
const started = new Set();
const remember = () => descendantsOf(child.pid).forEach((pid) => started.add(pid));
const tracker = setInterval(remember, 2_000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const send = (pid, signal) => {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
};
const running = () => [child.pid, ...started].filter(isRunning);

let stopping;
function stop(signal) {
  stopping ??= (async () => {
    clearInterval(tracker);
    remember();
    send(-child.pid, signal);
    // With Nx gone nobody relays the signal: its orphaned tasks get it directly.
    if (!isRunning(child.pid)) for (const pid of running()) send(pid, signal);
    const deadline = Date.now() + STOP_GRACE_MS;
    while (running().length && Date.now() < deadline) {
      await sleep(100);
      if (isRunning(child.pid)) remember();
    }
    const left = running();
    if (left.length) {
      console.error(`start: ${left.length} process(es) still running after ${STOP_GRACE_MS / 1000} s, killing them`);
      send(-child.pid, 'SIGKILL');
      for (const pid of left) send(pid, 'SIGKILL');
    }
    await exited;
    process.exit(childExit ?? 1);
  })();
  return stopping;
}

for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => stop(s === 'SIGHUP' ? 'SIGTERM' : s));

// Nx ending on its own (a failed build, a crashed service) must not leave the
// rest behind, and is a failure even when Nx calls it a success.
exited.then((code) => {
  if (stopping) return;
  console.error(`start: "nx run ${target}" ended by itself (exit code ${code}); see the output above`);
  childExit = code || 1;
  stop('SIGTERM');
});

async function waitUntilReady() {
  while (!stopping) {
    try {
      const res = await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  return false;
}

if (await waitUntilReady()) {
  const line = `Ready: http://127.0.0.1:${port}/ (API docs: /docs)  [${process.uptime().toFixed(1)} s after start]`;
  const rule = '='.repeat(line.length);
  console.log(`\n${rule}\n${line}\n${rule}\nPress Ctrl-C to stop.\n`);
}
