// `npm start`: builds the stack through Nx (cached), then runs and supervises
// its parts (embedded database, session service, accounts service, gateway serving the web app),
// waits until the gateway is ready and says where to go.
//
// A part that crashes is restarted with a growing delay (tools/scripts/supervisor.mjs);
// one that keeps crashing makes start stop everything and exit non-zero, naming
// the part and the reason, so it never sits there half-alive. Ctrl-C or SIGTERM
// stops every process (gateway first, database last); whatever is still running
// after the grace period is killed.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantsOf, isRunning } from './process-tree.mjs';
import { root, stackParts } from './stack-parts.mjs';
import { signalExitCode, supervise } from './supervisor.mjs';

// The last part can be named (e.g. `npm start -- embedded-db`) to run only the parts up to it.
const last = (process.argv[2] ?? 'gateway').replace(/:serve$/, '');
const port = process.env.GATEWAY_PORT || '3000';
const STOP_GRACE_MS = 15_000;
const POLL_MS = 250;
const log = (line) => console.log(`start: ${line}`);

let parts;
try {
  parts = stackParts(last);
} catch (err) {
  console.error(`start: ${err.message}`);
  process.exit(1);
}

/** True when something already accepts connections on the port (an earlier stack still running, say). */
function accepts(portNumber) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: Number(portNumber) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function isReady({ http, tcp }) {
  if (tcp) return accepts(tcp);
  try {
    const res = await fetch(http, { signal: AbortSignal.timeout(1_000) });
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

// Otherwise the old process would answer /readyz and "Ready" would be a lie.
if (last === 'gateway' && (await accepts(port))) {
  console.error(`start: 127.0.0.1:${port} is already in use (another npm start still running?); stop it or set GATEWAY_PORT`);
  process.exit(1);
}

// Every process started (Nx, its tasks, the parts), remembered while they run:
// a process whose parent died is re-parented and can no longer be found from our pid.
const started = new Set();
const remember = () => descendantsOf(process.pid).forEach((pid) => started.add(pid));
const tracker = setInterval(remember, 2_000);
const send = (pid, signal) => {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
};

let build; // the Nx build while it runs
const running = []; // supervised parts, in start order
let stopping;
function stop(signal, exitCode) {
  stopping ??= (async () => {
    clearInterval(tracker);
    remember();
    if (build) send(-build.pid, signal);
    // Gateway first: it stops taking requests before the services behind it go.
    for (const part of [...running].reverse()) await part.stop(signal);
    const deadline = Date.now() + STOP_GRACE_MS;
    while ([...started].some(isRunning) && Date.now() < deadline) await sleep(100);
    const left = [...started].filter(isRunning);
    if (left.length) {
      console.error(`start: ${left.length} process(es) still running after ${STOP_GRACE_MS / 1000} s, killing them`);
      for (const pid of left) send(pid, 'SIGKILL');
    }
    process.exit(exitCode);
  })();
  return stopping;
}

for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => stop(s === 'SIGHUP' ? 'SIGTERM' : s, 0));

function giveUp(reason) {
  console.error(`start: ${reason}; stopping everything`);
  stop('SIGTERM', 1);
}

const projects = [...new Set(parts.flatMap((p) => p.build))];
log(`building ${projects.join(', ')} (Nx, cached)`);
build = spawn(
  process.execPath,
  [join(root, 'node_modules', '.bin', 'nx'), 'run-many', '-t', 'build', '-p', ...projects, '--output-style=stream'],
  {
    cwd: root,
    stdio: 'inherit',
    detached: true, // own process group: the terminal's Ctrl-C is ours to forward, once
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  },
);
const buildCode = await new Promise((resolve) => build.once('exit', (code, signal) => resolve(code ?? signalExitCode(signal))));
build = undefined;
if (stopping) await stopping;
if (buildCode !== 0) {
  console.error(`start: the build failed (exit code ${buildCode}); see the output above`);
  await stop('SIGTERM', 1);
}

for (const part of parts) running.push(supervise({ ...part, cwd: root, log, onGiveUp: giveUp }));

const top = parts.at(-1);
const where = top.ready.http ? `http://127.0.0.1:${port}/ (API docs: /docs)` : `${top.name} on 127.0.0.1:${top.ready.tcp}`;
while (!stopping && !(await isReady(top.ready))) await sleep(POLL_MS);
if (!stopping) {
  const line = `Ready: ${where}  [${process.uptime().toFixed(1)} s after start]`;
  const rule = '='.repeat(line.length);
  console.log(`\n${rule}\n${line}\n${rule}\nPress Ctrl-C to stop.\n`);
}
