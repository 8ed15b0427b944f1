// Heap bytes per near-cache entry: fills a CachedValidator with 100,000
// typical sessions (~200 bytes of user_data) and divides the heap growth.
// Run with `npx nx run session-client:measure-memory` (needs --expose-gc).
import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { CachedValidator } from '../src/cached-validator';
import { createSessionCacheMetrics } from '../src/metrics';
import type { ValidatedSession } from '../src/validated-session';

const ENTRIES = 100_000;
const exposedGc = (globalThis as { gc?: () => void }).gc;
if (!exposedGc) throw new Error('run with node --expose-gc');
const gc: () => void = exposedGc;

function typicalSession(i: number, now: number): ValidatedSession {
  return {
    sessionId: `s_${i.toString(36).padStart(8, '0')}${'x'.repeat(14)}`,
    userId: i % 2 ? `user-${i % 20_000}` : '',
    version: String(i % 7),
    // About 200 bytes as JSON: what an agent app keeps (preferences, a cart id, a conversation id).
    userData: {
      theme: 'dark',
      locale: 'en-GB',
      cartId: `cart-${i}`,
      conversationId: `conv-${i}-${'a'.repeat(40)}`,
      steps: [1, 2, 3],
      flags: { beta: true, tour: false },
      note: 'n'.repeat(30),
    },
    createdAt: now,
    updatedAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + 3_600_000,
    absoluteExpiresAt: now + 86_400_000,
  };
}

async function main(): Promise<void> {
  const now = Date.now();
  const sessions = Array.from({ length: ENTRIES }, (_, i) => typicalSession(i, now));
  const tokens = sessions.map((s) => `${s.sessionId}.${'k'.repeat(43)}`);
  const bySecretless = new Map(sessions.map((s) => [s.sessionId, s]));
  const feed = Object.assign(new EventEmitter(), { caughtUp: true });
  const jsonBytes = JSON.stringify(sessions[0]?.userData).length;
  gc();
  // Baseline before the validator: lru-cache allocates its slot arrays for `max` up front.
  const before = process.memoryUsage().heapUsed;
  const validator = new CachedValidator({
    validate: async (token) => bySecretless.get(token.slice(0, token.indexOf('.'))) ?? Promise.reject(new Error('unknown token')),
    touch: async () => undefined,
    feed,
    metrics: createSessionCacheMetrics(new Registry()),
    enabled: true,
    maxEntries: ENTRIES,
    maxAgeMs: 60_000,
    touchIntervalMs: 60_000,
  });
  for (const token of tokens) await validator.validate(token);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (validator.size !== ENTRIES) throw new Error(`expected ${ENTRIES} entries, have ${validator.size}`);
  // The sessions themselves were allocated before the baseline (the validate stub returns them), so the
  // delta is the cache's own cost: key strings, entry objects, LRU slots, indexes. Add a session's own size:
  const sessionsBefore = process.memoryUsage().heapUsed;
  // Fresh strings and objects throughout, as decoding a ValidateSession answer makes them.
  const copies = sessions.map((s) => JSON.parse(JSON.stringify(s)) as ValidatedSession);
  gc();
  const sessionBytes = (process.memoryUsage().heapUsed - sessionsBefore) / ENTRIES;
  const overhead = (after - before) / ENTRIES;
  console.log(`entries: ${ENTRIES}, user_data JSON: ${jsonBytes} bytes`);
  console.log(`cache overhead per entry (keys, entry, LRU, indexes): ${overhead.toFixed(0)} bytes`);
  console.log(`one decoded session (fields, strings, user_data objects): ${sessionBytes.toFixed(0)} bytes`);
  console.log(
    `total per cached entry: ${(overhead + sessionBytes).toFixed(0)} bytes; ${ENTRIES} entries: ${(((overhead + sessionBytes) * ENTRIES) / 2 ** 20).toFixed(1)} MiB`,
  );
  validator.close();
  void copies.length;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
