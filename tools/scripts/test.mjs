// `npm test`: typecheck, lint and test every project through Nx, then add up
// the per-project Jest summaries (tools/jest/summary-reporter.js) and end with
// one plain line `N passed, N failed` that CI reads.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(root, 'reports', 'test-results');
const nx = join(root, 'node_modules', '.bin', 'nx');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

// A test process that never exits (an open handle) would otherwise hold CI until its own time limit.
const RUN_LIMIT_MS = 25 * 60_000;

function runNx(args) {
  return new Promise((resolve) => {
    const child = spawn(nx, args, { cwd: root, env, stdio: 'inherit' });
    for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
    const watchdog = setTimeout(() => {
      console.log(`test: still running after ${RUN_LIMIT_MS / 60_000} min, stopping (a test process that does not exit?)`);
      child.kill('SIGINT'); // Nx stops its tasks on SIGINT
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, RUN_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function projectsWithTests() {
  const out = spawnSync(nx, ['show', 'projects', '--with-target', 'test', '--json'], { cwd: root, env, encoding: 'utf8' });
  return out.status === 0 ? JSON.parse(out.stdout).sort() : [];
}

function readSummaries() {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')))
    .sort((a, b) => a.project.localeCompare(b.project));
}

function table(rows) {
  const width = Math.max('project'.length, 'total'.length, ...rows.map((r) => r.project.length));
  const line = (name, suites, passed, failed) =>
    `${name.padEnd(width)}  ${String(suites).padStart(6)}  ${String(passed).padStart(6)}  ${String(failed).padStart(6)}`;
  const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
  const rule = '-'.repeat(width + 24);
  return [
    line('project', 'suites', 'passed', 'failed'),
    rule,
    ...rows.map((r) => line(r.project, r.suites, r.passed, r.failed)),
    rule,
    line('total', sum('suites'), sum('passed'), sum('failed')),
  ].join('\n');
}

// Stale files from an earlier run would be counted twice or hide a project that no longer reports.
rmSync(resultsDir, { recursive: true, force: true });
// Formatting first: a few seconds, and a diff that Prettier would rewrite is not worth testing yet.
const prettier = spawnSync(join(root, 'node_modules', '.bin', 'prettier'), ['--check', '.', '--log-level', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
const nxCode = await runNx(['run-many', '-t', 'typecheck', 'lint', 'test', '--parallel=2', '--output-style=stream']);

const rows = readSummaries();
const missing = projectsWithTests().filter((p) => !rows.some((r) => r.project === p));
const passed = rows.reduce((n, r) => n + r.passed, 0);
const failed = rows.reduce((n, r) => n + r.failed, 0);

console.log('');
if (rows.length) console.log(table(rows));
const problems = [];
if (prettier.status !== 0) problems.push('prettier --check found unformatted files (npx prettier --write . fixes them)');
if (nxCode !== 0) problems.push(`nx exited with code ${nxCode}`);
if (!rows.length) problems.push('no test results were found');
if (missing.length) problems.push(`no test results from: ${missing.join(', ')}`);
for (const p of problems) console.log(`test: ${p}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = problems.length || failed ? 1 : 0;
