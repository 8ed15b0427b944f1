import { parseArgs } from 'node:util';
import { progress } from './bench-phases';
import { int } from './format';
import { createLiveSessions, padSessions, secondaryIndexes } from './seed-sessions';
import { startStackStoppedOnTermination } from './stop-on-termination';

/** `1000x2`: insertMany batches of 1,000 documents, two in flight; `1000x2r`: with the indexes dropped and built again after. */
function parseVariant(text: string): { batchSize: number; writers: number; rebuildIndexes: boolean } {
  const m = /^(\d+)x(\d+)(r?)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(`a variant is <batch size>x<writers>[r], e.g. 1000x2 or 1000x1r; got ${text}`);
  return { batchSize: Number(m[1]), writers: Number(m[2]), rebuildIndexes: m[3] === 'r' };
}

/**
 * The scale phase's seeding (5) alone: `nx run bench:seed-rate -- --count 100000 --variants
 * 1000x1,1000x2,10000x2`. Each variant fills a database of its own, with the indexes the session
 * service created for its own, from the same live sessions, and the variants take turns (twice
 * over, so both see the same drift of a shared machine). Prints documents per second per run.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '100000' }, variants: { type: 'string', default: '1000x1,1000x2,10000x2' } },
  });
  const count = Number(values.count);
  const variants = values.variants.split(',').map(parseVariant);
  const stack = await startStackStoppedOnTermination({ gateway: false });
  try {
    await createLiveSessions(stack.service.address, 1_000);
    const source = stack.mongo.db(stack.dbName).collection('user_sessions');
    const live = await source.find({}).toArray();
    const indexes = await secondaryIndexes(source);
    const lines: string[] = [];
    for (const turn of [1, 2])
      for (const [i, v] of variants.entries()) {
        const db = stack.mongo.db(`${stack.dbName}_seed${i}_${turn}`);
        const target = db.collection('user_sessions');
        await target.createIndexes(indexes);
        await target.insertMany(live, { ordered: false });
        const r = await padSessions(db, count, 3_600_000, v);
        const line = `batch ${int(v.batchSize)} x ${v.writers} writers${v.rebuildIndexes ? ', indexes built after' : ''}, turn ${turn}: ${int(r.inserted)} in ${r.seconds.toFixed(1)} s = ${int(r.inserted / r.seconds)} documents/s`;
        progress(line);
        lines.push(line);
        await db.dropDatabase();
      }
    process.stdout.write(
      `\nSeeding user_sessions with ${indexes.length} secondary indexes (${indexes.map((i) => i.name).join(', ')}):\n${lines.join('\n')}\n`,
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed-rate failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
