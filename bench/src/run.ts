import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { MongoClient } from 'mongodb';
import { parseBenchOptions } from './bench-options';
import { progress, runAllPhases } from './bench-phases';
import { int } from './format';
import { buildRows, renderTable } from './report-table';
import { createExpressSessions, createLiveSessions } from './seed-sessions';
import { SERVICE_LOG_LEVEL } from './service-processes';
import { startStackStoppedOnTermination } from './stop-on-termination';
import { steadyTouchRate, TOUCH_INTERVAL_MS } from './touch-spread';

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function databaseVersion(mongo: MongoClient): Promise<string> {
  const info = await mongo.db('admin').command({ buildInfo: 1 });
  return info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion} (reports MongoDB ${info.version})` : `MongoDB ${info.version}`;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * The whole benchmark: starts everything on 127.0.0.1, seeds, loads each
 * target for a bounded time from a separate loader process, prints one table.
 */
async function main(): Promise<void> {
  const o = parseBenchOptions(process.argv.slice(2), process.env);
  const loadBefore = load();
  const started = Date.now();
  progress(`starting embedded database, session service, gateway and the express-session baseline (LOG_LEVEL=${SERVICE_LOG_LEVEL})`);
  const stack = await startStackStoppedOnTermination();
  await stack.startBaseline().catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  try {
    const seedStarted = Date.now();
    const live = await createLiveSessions(stack.service.address, o.liveSessions);
    const baselineSessions = await createExpressSessions(stack.baseline?.url ?? '', o.liveSessions);
    const seedS = (Date.now() - seedStarted) / 1_000;
    progress(`minted ${o.liveSessions} sessions through CreateSession and ${o.liveSessions} through the baseline in ${seedS.toFixed(1)} s`);
    const dbVersion = `${await databaseVersion(stack.mongo)}, ${stack.databaseLabel}`;
    const figures = await runAllPhases(stack, live, baselineSessions, o);
    const scaleNote = figures.scale.budgetHit
      ? `, seeding budget of ${o.seedBudgetS} s hit before ${o.scaleSessions.toLocaleString('en-US')}`
      : '';
    process.stdout.write(
      [
        '',
        `Session platform benchmark${o.quick ? ' (--quick)' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), everything on 127.0.0.1, load generators in separate processes`,
        `Node ${process.version}; ${dbVersion}; mongodb driver ${packageVersion('mongodb')}; autocannon ${packageVersion('autocannon')}; services are the built bundles with LOG_LEVEL=${SERVICE_LOG_LEVEL}, SESSION_TOUCH_INTERVAL default (60s)`,
        `Phases: ${o.warmupS} s warm-up, ${o.phaseS} s saturation (${o.concurrency} connections / calls in flight; (1) and (4) in ${o.abRounds} alternated rounds, medians compared), ${o.phaseS} s at ${o.fixedRate.toLocaleString('en-US')}/s open loop (latency from each request's scheduled start, queued waits included, connections as needed up to a safety cap that fails the phase); latencies in microsecond resolution`,
        `Revocation (8): ${figures.revocation.routing}; Cache memory (9): ${figures.cacheMemory.validated.toLocaleString('en-US')} sessions validated once through a fresh gateway in ${figures.cacheMemory.seconds.toFixed(0)} s`,
        `Touch state: before each read phase the live sessions' last writes are spread over the last ${TOUCH_INTERVAL_MS / 1_000} s (steady state: ~${int(steadyTouchRate(o.liveSessions))} touch writes/s per app)`,
        `Scale phase: ${figures.scale.total.toLocaleString('en-US')} documents in user_sessions (${figures.scale.inserted.toLocaleString('en-US')} inserted in ${figures.scale.seconds.toFixed(0)} s with insertMany${scaleNote})`,
        `Load average (1/5/15 min) before: ${loadBefore}`,
        '',
        renderTable(buildRows(figures, o)),
        '',
        `Load average (1/5/15 min) after: ${load()}; total ${((Date.now() - started) / 1_000).toFixed(0)} s`,
        ...stack.logSummaries(),
        '',
      ].join('\n'),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
