import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { jsonToStruct } from '@session/proto';
import { startEmbeddedDb, uniqueDbName } from '@session/testing';
import { MongoClient } from 'mongodb';
import { spawnSessionService } from './service-processes';
import { stopOnTermination } from './stop-on-termination';

/**
 * Does a token with a wrong secret take longer to refuse than one with an unknown id? If it did,
 * timing would tell an attacker which session ids exist. Both are refused with the same error;
 * this measures ValidateSession for each against the real service on the embedded database, with
 * the session's user_data near USER_DATA_MAX_BYTES, in alternated trials (the order within each
 * round is random, so drift hits both alike). A third series repeats the unknown-id path: the gap
 * between two series of the same path is the noise to compare against.
 *
 * Run: npx nx run bench:build && node dist/bench/token-timing.js   (TIMING_ROUNDS, default 4000)
 */

const ROUNDS = Number(process.env.TIMING_ROUNDS ?? 4_000);
const WARMUP = 300;
const secret = () => randomBytes(32).toString('base64url');

/** About 16 000 bytes of JSON in 200 keys: decoding cost grows with the number of values, not only with bytes. */
function nearMaxUserData(): Record<string, string> {
  return Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key_${String(i).padStart(3, '0')}`, 'v'.repeat(66)]));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs the paths in alternated rounds (random order within a round) and prints median and p99 of each. */
async function measure(title: string, paths: Record<string, unknown>, once: (name: string) => Promise<number>): Promise<void> {
  const names = Object.keys(paths);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < WARMUP; i++) for (const name of names) await once(name);
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...names].sort(() => Math.random() - 0.5);
    for (const name of order) samples[name].push(await once(name));
  }
  console.log(title);
  const medians: number[] = [];
  for (const name of names) {
    const sorted = [...samples[name]].sort((a, b) => a - b);
    medians.push(quantile(sorted, 0.5));
    console.log(
      `  ${name.padEnd(24)} median ${(quantile(sorted, 0.5) * 1_000).toFixed(1).padStart(8)}   p99 ${(quantile(sorted, 0.99) * 1_000).toFixed(1).padStart(8)}`,
    );
  }
  console.log(
    `  median gap first - second: ${((medians[0] - medians[1]) * 1_000).toFixed(1)} us; second - third: ${((medians[1] - medians[2]) * 1_000).toFixed(1)} us`,
  );
}

async function main(): Promise<void> {
  // A signal stops the service and the database (and removes its data); what has not started yet is simply not there.
  const started: { stop?: () => Promise<unknown> } = {};
  stopOnTermination(async () => started.stop?.());
  const db = await startEmbeddedDb();
  started.stop = () => db.stop({ removeData: true });
  const dbName = uniqueDbName('timing');
  const service = await spawnSessionService(db.uri, dbName);
  started.stop = async () => {
    await service.stop();
    await db.stop({ removeData: true });
  };
  const api = new SessionApi(createSessionClient({ address: service.address }), 5_000);
  const mongo = await MongoClient.connect(db.uri);
  try {
    const { token } = await api.bindUser({ token: (await api.createSession({})).token, user_id: 'timing-user' });
    const data = nearMaxUserData();
    await api.updateSessionData({ token, user_data: jsonToStruct(data), mode: 'UPDATE_MODE_REPLACE' });
    const sessionId = token.split('.')[0];
    const bytes = Buffer.byteLength(JSON.stringify(data));

    const paths: Record<string, () => string> = {
      'wrong secret': () => `${sessionId}.${secret()}`,
      'unknown id': () => `${randomUUID()}.${secret()}`,
      'unknown id (control)': () => `${randomUUID()}.${secret()}`,
    };
    await measure(
      `ValidateSession refusals, ${ROUNDS} alternated rounds, session user_data ${bytes} bytes in 200 keys (microseconds)`,
      paths,
      async (name) => {
        const started = performance.now();
        const outcome = await api.validateSession({ token: paths[name](), extend: false }).then(
          () => 'accepted',
          (err: { metadata?: { get(key: string): unknown[] } }) => String(err.metadata?.get('x-error-code')[0]),
        );
        const took = performance.now() - started;
        if (outcome !== 'session_not_found') throw new Error(`${name}: expected session_not_found, got ${outcome}`);
        return took;
      },
    );

    // Where the rest of the gap lies: the database lookups alone, as the service sends them now and as it did before.
    const collection = mongo.db(dbName).collection<{ _id: string }>('user_sessions');
    const hash = 'f'.repeat(64);
    const lookups: Record<string, () => Promise<unknown>> = {
      'id+hash, wrong secret': () => collection.findOne({ _id: sessionId, secret_hash: hash }),
      'id+hash, unknown id': () => collection.findOne({ _id: randomUUID(), secret_hash: hash }),
      'id only, wrong secret': () => collection.findOne({ _id: sessionId }),
    };
    await measure('findOne alone, same rounds (microseconds); "id only" is the lookup before this change', lookups, async (name) => {
      const started = performance.now();
      await lookups[name]();
      return performance.now() - started;
    });
  } finally {
    api.close();
    await mongo.close();
    await service.stop();
    await db.stop({ removeData: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
