/**
 * What one near-cache entry costs on the heap, without a gateway or a
 * database around it: `npx nx run bench:cache-entry-memory` (or
 * `node --expose-gc dist/bench/cache-entry-memory.js [entries]`).
 *
 * Each entry goes the gateway's own way: a ValidateSessionResponse is
 * encoded as the service sends it (the bench's seeded user_data, no claims,
 * no device, anonymous) and decoded by the gRPC deserializer, so every
 * string is a fresh copy as off the wire; validateOverGrpc maps it and a
 * CachedValidator (default settings, feed caught up) caches it under the
 * token's hash. heapUsed after a full GC, before and after, over the entries
 * is the figure; the RSS of a process holds that plus V8's spare heap.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CachedValidator, createSessionCacheMetrics, fromProtoSession, validateOverGrpc } from '@session/session-client';
import { dateToTimestamp, jsonToStruct, loadSessionPackage, type Session, type ValidateSessionResponse__Output } from '@session/proto';
import { Registry } from 'prom-client';
import { measureRetained } from './heap-measure';
import { BENCH_USER_DATA } from './seed-sessions';

const DAY_MS = 86_400_000;

type Codec = { serialize(value: object): Buffer; deserialize(bytes: Buffer): ValidateSessionResponse__Output };

function responseCodec(): Codec {
  const method = loadSessionPackage().packageDefinition['session.v1.SessionService'] as Record<string, unknown>;
  const def = method.ValidateSession as { responseSerialize: Codec['serialize']; responseDeserialize: Codec['deserialize'] };
  return { serialize: def.responseSerialize, deserialize: def.responseDeserialize };
}

/** The wire bytes of one anonymous bench session, as the service's toProtoSession builds it. */
function wireSession(codec: Codec, now: number): Buffer {
  const at = dateToTimestamp(new Date(now));
  const session: Session = {
    session_id: randomUUID(),
    user_id: '',
    user_data: jsonToStruct(BENCH_USER_DATA),
    version: '1',
    created_at: at,
    updated_at: at,
    last_seen_at: at,
    idle_expires_at: dateToTimestamp(new Date(now + 7 * DAY_MS)),
    absolute_expires_at: dateToTimestamp(new Date(now + 30 * DAY_MS)),
    revoked_at: null,
    claims: jsonToStruct({}),
    authenticated_at: null,
    authentication_method: '',
    device: null,
    remember_me: false,
  };
  return codec.serialize({ session });
}

const token = (): string => `${randomUUID()}.${randomBytes(32).toString('base64url')}`;

async function main(entries: number): Promise<void> {
  const codec = responseCodec();
  const now = Date.now();

  // The mapped sessions alone, kept in an array: what fromProtoSession's objects cost.
  const mapped = () => {
    const { session } = codec.deserialize(wireSession(codec, now));
    if (!session) throw new Error('the encoded response lost its session');
    return fromProtoSession(session);
  };
  const sessions = await measureRetained(entries, mapped);

  // The whole entry: key (token hash), CacheEntry, the LRU's and the indexes' slots, the session.
  const validator = new CachedValidator({
    validate: validateOverGrpc({ validateSession: async () => codec.deserialize(wireSession(codec, now)) }),
    touch: async () => undefined,
    feed: { caughtUp: true, on: () => undefined, off: () => undefined },
    metrics: createSessionCacheMetrics(new Registry()),
    enabled: true,
    maxEntries: entries,
    maxAgeMs: 60_000,
    touchIntervalMs: 60_000,
  });
  const cached = await measureRetained(entries, () => validator.validateRemote(token()));
  if (validator.size !== entries) throw new Error(`the cache holds ${validator.size} entries, expected ${entries}`);
  validator.close();

  const perEntry = (bytes: number) => `${Math.round(bytes / entries)} B`;
  process.stdout.write(
    [
      `near cache, ${entries.toLocaleString('en-US')} entries (user_data ${JSON.stringify(BENCH_USER_DATA)}), heapUsed after a full GC:`,
      `  per entry, whole (key, CacheEntry, LRU and indexes, session): ${perEntry(cached.bytes)}`,
      `  per entry, the mapped session alone:                          ${perEntry(sessions.bytes)}`,
      `  heap ${mib(cached.heapBefore)} -> ${mib(cached.heapAfter)} MiB with the cache full`,
      '',
    ].join('\n'),
  );
}

const mib = (bytes: number) => (bytes / 1_048_576).toFixed(1);

main(Number(process.argv[2] ?? 100_000)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
