import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { jsonToStruct } from '@session/proto';
import type { Collection, Db, Document, IndexDescription } from 'mongodb';

/** The small user_data every bench session carries (a typical preferences blob). */
export const BENCH_USER_DATA = { theme: 'dark', lang: 'en', sidebar: { open: true, width: 280 } };

export interface LiveSessions {
  tokens: string[];
  sessionIds: string[];
}

async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Mints `count` real sessions through CreateSession, so every token is one the service issued. */
export async function createLiveSessions(address: string, count: number): Promise<LiveSessions> {
  const api = new SessionApi(createSessionClient({ address }), 10_000);
  const tokens: string[] = new Array(count);
  const sessionIds: string[] = new Array(count);
  try {
    await inParallel(count, 32, async (i) => {
      const { token, session } = await api.createSession({ user_data: jsonToStruct(BENCH_USER_DATA) });
      tokens[i] = token;
      sessionIds[i] = session?.session_id ?? '';
    });
  } finally {
    api.close();
  }
  return { tokens, sessionIds };
}

export interface ExpressSessions {
  /** `connect.sid=...` request cookies, one per session. */
  cookies: string[];
  /** The same sessions' ids: the `_id`s of their documents in express_sessions. */
  sessionIds: string[];
}

/**
 * The session id inside an express-session cookie `connect.sid=s%3A<sid>.<signature>`
 * (URL-encoded, `s:` for signed, cookie-signature's HMAC after the last dot;
 * the id itself is base64url, so it holds no dot).
 */
export function expressSessionId(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const dot = value.lastIndexOf('.');
  if (!value.startsWith('s:') || dot < 3) throw new Error(`not a signed express-session cookie: ${cookie}`);
  return value.slice(2, dot);
}

/** Creates `count` express-session sessions through the baseline app: their cookies and ids. */
export async function createExpressSessions(url: string, count: number): Promise<ExpressSessions> {
  const cookies: string[] = new Array(count);
  await inParallel(count, 32, async (i) => {
    const res = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_USER_DATA),
    });
    const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
    if (res.status !== 201 || !cookie) throw new Error(`baseline session create failed: HTTP ${res.status}`);
    cookies[i] = cookie;
  });
  return { cookies, sessionIds: cookies.map(expressSessionId) };
}

export interface PaddingResult {
  /** Documents in user_sessions after seeding. */
  total: number;
  /** Padding documents inserted (the live pool is re-inserted on top). */
  inserted: number;
  seconds: number;
  /** True when the time budget ran out before `total` reached the target. */
  budgetHit: boolean;
  /** Tokens of the first `keepTokens` padding documents, valid as any the service minted (the cache-memory phase presents them). */
  tokens: string[];
}

export interface PaddingOptions {
  /** Documents per insertMany. */
  batchSize?: number;
  /** insertMany calls in flight at once: the next batch is built and sent while the database stores one. */
  writers?: number;
  /**
   * Drop the secondary indexes before the inserts and build them again after (the same ones, from
   * listIndexes): one build over the whole collection instead of every insert updating each index.
   */
  rebuildIndexes?: boolean;
  /** How many padding tokens to keep (the rest are not remembered, to spare the orchestrator's memory). */
  keepTokens?: number;
  /** The live session whose document is copied; by default the first one found (which must be live). */
  templateSessionId?: string;
}

/** Measured with seed-rate.ts (docs/bench-regression-checks.md): what the embedded database stores fastest. */
export const SEED_BATCH_SIZE = 1_000;
export const SEED_WRITERS = 1;
export const SEED_REBUILDS_INDEXES = true;

/** The collection's indexes but `_id`'s, as createIndexes takes them back (key, name and the options set). */
export async function secondaryIndexes<T extends Document>(collection: Collection<T>): Promise<(IndexDescription & { name: string })[]> {
  const listed = await collection.listIndexes().toArray();
  return listed
    .filter((i) => i.name !== '_id_')
    .map(({ key, name, unique, sparse, expireAfterSeconds }) =>
      Object.fromEntries(Object.entries({ key, name, unique, sparse, expireAfterSeconds }).filter(([, v]) => v !== undefined)),
    ) as (IndexDescription & { name: string })[];
}

/**
 * Grows user_sessions to `target` documents with insertMany batches cloned
 * from a document the service wrote itself (same fields, types and sizes;
 * fresh ids and secret hashes), straight through the driver: minting a
 * million sessions over gRPC would take far longer than the bench.
 * The live pool is taken out first and put back last, so the sessions in
 * use are the newest documents, as in production: a database that scans
 * instead of using an index then pays for the whole collection, not just
 * for the documents inserted before the pool.
 * Each copy gets a fresh secret whose token `<session id>.<secret>` is kept
 * for the first `keepTokens`: the service stores SHA-256 of the secret's
 * text, so those tokens validate like minted ones.
 */
export async function padSessions(db: Db, target: number, budgetMs: number, options: PaddingOptions = {}): Promise<PaddingResult> {
  const {
    batchSize = SEED_BATCH_SIZE,
    writers = SEED_WRITERS,
    rebuildIndexes = SEED_REBUILDS_INDEXES,
    keepTokens = 0,
    templateSessionId,
  } = options;
  const sessions = db.collection('user_sessions');
  const started = performance.now();
  const live = await sessions.find({}).toArray();
  const template = templateSessionId === undefined ? live[0] : live.find((d) => d.session_id === templateSessionId);
  if (!template) throw new Error('no session document to copy the shape from');
  const idIsSessionId = template._id === template.session_id;
  const hashEncoding = /^[0-9a-f]{64}$/.test(String(template.secret_hash)) ? 'hex' : 'base64url';
  await sessions.deleteMany({});
  const indexes = rebuildIndexes ? await secondaryIndexes(sessions) : [];
  for (const index of indexes) await sessions.dropIndex(index.name);
  const paddingTarget = target - live.length;
  let claimed = 0;
  let inserted = 0;
  const tokens: string[] = [];
  const writer = async () => {
    while (claimed < paddingTarget && performance.now() - started < budgetMs) {
      const count = Math.min(batchSize, paddingTarget - claimed);
      claimed += count;
      await sessions.insertMany(paddingBatch(count), { ordered: false });
      inserted += count;
    }
  };
  const paddingBatch = (count: number) => {
    const batch: Document[] = [];
    for (let k = 0; k < count; k++) {
      const sessionId = randomUUID();
      const secret = randomBytes(32).toString('base64url');
      if (tokens.length < keepTokens) tokens.push(`${sessionId}.${secret}`);
      const doc: Document = { ...template, session_id: sessionId, secret_hash: createHash('sha256').update(secret).digest(hashEncoding) };
      // Without an _id the driver mints an ObjectId, as it would for the service if it did not set one.
      if (idIsSessionId) doc._id = sessionId;
      else delete doc._id;
      batch.push(doc);
    }
    return batch;
  };
  await Promise.all(Array.from({ length: writers }, writer));
  for (let i = 0; i < live.length; i += batchSize) await sessions.insertMany(live.slice(i, i + batchSize), { ordered: false });
  if (indexes.length > 0) await sessions.createIndexes(indexes);
  const total = inserted + live.length;
  return { total, inserted, seconds: (performance.now() - started) / 1_000, budgetHit: total < target, tokens };
}
