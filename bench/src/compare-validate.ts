import { parseArgs } from 'node:util';
import type { Db } from 'mongodb';
import { roundFigures, renderComparison, type Side } from './ab-figures';
import { prepareBaseBuild } from './base-build';
import { parseBenchOptions } from './bench-options';
import { progress, saturate, spreadTouches, type Probes } from './bench-phases';
import { int } from './format';
import type { Pacing } from './load-result';
import type { LoadJob } from './loader-main';
import { runInLoader } from './run-in-loader';
import { createLiveSessions } from './seed-sessions';
import { startStackStoppedOnTermination } from './stop-on-termination';

interface Contender {
  label: string;
  jobFor: (pacing: Pacing) => LoadJob;
  probes: Probes;
  /** Before each of its rounds (e.g. the touch spread of its sessions). */
  prepare?: () => Promise<void>;
}

/**
 * Warm-up of each contender, then `rounds` saturation rounds alternating them (A/B/A/B...), so
 * both see the same drift of a shared machine.
 */
async function alternate(contenders: [Contender, Contender], rounds: number, pacing: Pacing, warmupS: number) {
  for (const c of contenders) await runInLoader(c.jobFor({ ...pacing, durationS: warmupS }));
  const sides: [Side, Side] = [
    { label: contenders[0].label, rounds: [] },
    { label: contenders[1].label, rounds: [] },
  ];
  for (let r = 1; r <= rounds; r++)
    for (const [i, c] of contenders.entries()) {
      await c.prepare?.();
      sides[i].rounds.push(roundFigures(await saturate(`${c.label}, round ${r}/${rounds}`, c.jobFor(pacing), c.probes)));
    }
  return sides;
}

/**
 * `nx run bench:compare-validate -- --base <ref> [--rounds 3]`: ValidateSession at saturation
 * against the session service built at `ref` and against this checkout's, both running at once on
 * one embedded database, in alternated rounds. Each has a database of its own there, with the
 * indexes its own start-up creates (each index is work for every touch write), holding the same
 * sessions: minted by this checkout's service and copied (the older one reads these documents
 * too). Then the bare driver's findOne({_id}) against findOne({_id, secret_hash}), the two
 * lookups the versions make. Both services run on 127.0.0.1 with no callers configured, which
 * both accept from a loopback peer without an API key.
 * BENCH_PHASE_SECONDS and BENCH_LIVE_SESSIONS apply as in the bench.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { base: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  if (!values.base) throw new Error('give the commit to compare with: --base <ref>');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const o = parseBenchOptions([], process.env);
  const base = prepareBaseBuild(values.base);

  progress('starting the embedded database and both session services');
  const stack = await startStackStoppedOnTermination({ gateway: false });
  try {
    const olderDb = stack.mongo.db(`${stack.dbName}_base`);
    const older = await stack.addSessionService(`session service ${base.commit.slice(0, 12)}`, {
      build: base,
      env: { MONGODB_DB: olderDb.databaseName },
    });
    const live = await createLiveSessions(stack.service.address, o.liveSessions);
    const db = stack.mongo.db(stack.dbName);
    const minted = await db.collection('user_sessions').find({}).toArray();
    await olderDb.collection('user_sessions').insertMany(minted, { ordered: false });
    progress(`minted ${int(o.liveSessions)} sessions, copied to ${olderDb.databaseName}`);
    const database = stack.databasePid;
    const pacing: Pacing = { concurrency: o.concurrency, durationS: o.phaseS };
    const validate = (label: string, service: { address: string; pid: number; metricsUrl: string }, its: Db): Contender => ({
      label,
      jobFor: (p) => ({ kind: 'grpc-validate', address: service.address, tokens: live.tokens, channels: o.channels, pacing: p }),
      probes: { pids: { service: service.pid, database }, dbMetricsUrl: service.metricsUrl },
      // Each round starts from the steady touch state (touch-spread.ts), whatever the previous round wrote.
      prepare: () => spreadTouches(its, 'user_sessions', 'last_seen_at', live.sessionIds),
    });
    const services = await alternate(
      [validate(`A ${base.commit.slice(0, 12)}`, older, olderDb), validate('B this checkout', stack.service, db)],
      rounds,
      pacing,
      o.warmupS,
    );
    await stack.stopExtra(older);
    await olderDb.dropDatabase();

    const hashes = new Map(
      (
        await db
          .collection<{ _id: string; secret_hash: string }>('user_sessions')
          .find({}, { projection: { secret_hash: 1 } })
          .toArray()
      ).map((d) => [d._id, d.secret_hash]),
    );
    const find = (label: string, withSecret: boolean): Contender => ({
      label,
      jobFor: (p) => ({
        kind: 'mongo-find',
        uri: stack.mongoUri,
        dbName: stack.dbName,
        field: '_id',
        sessionIds: live.sessionIds,
        secretHashes: withSecret ? live.sessionIds.map((id) => hashes.get(id) ?? '') : undefined,
        maxPoolSize: 20,
        pacing: p,
      }),
      probes: { pids: { database } },
    });
    const lookups = await alternate([find('findOne({_id})', false), find('findOne({_id, secret_hash})', true)], rounds, pacing, o.warmupS);

    process.stdout.write(
      [
        '',
        `ValidateSession A/B: ${int(o.liveSessions)} sessions, ${o.phaseS} s rounds, ${o.concurrency} calls in flight over ${o.channels} channels, Node ${process.version}, ${stack.databaseLabel}`,
        renderComparison('(2) gRPC ValidateSession at saturation', services),
        renderComparison('(3) bare driver, the two lookups', lookups),
        '',
      ].join('\n'),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`compare-validate failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
