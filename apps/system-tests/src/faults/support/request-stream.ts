import { patchData, readSession, type Outcome, type RestSession } from './rest-client';
import { sleep } from './wait';

export interface RequestStreamOptions {
  /** The gateway, `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly sessions: readonly RestSession[];
  /** Concurrent loops; each alternates a read and a merge patch, round-robin over the sessions. */
  readonly workers: number;
  /** Pause between one loop's requests, so two cores are not saturated by the client alone. */
  readonly pauseMs?: number;
  /** Prefix of every x-request-id, to find this stream's requests in the gateway log. */
  readonly label: string;
  /** How long a request may go unanswered before it is recorded as `hang` (default NO_ANSWER_MS). */
  readonly noAnswerMs?: number;
}

interface WrittenKey {
  /** Highest value a 200 acknowledged. */
  acked: number;
  /** Highest value sent, acknowledged or not (a write may land even when its answer was lost). */
  attempted: number;
}

export interface LostWrite {
  readonly sessionId: string;
  readonly key: string;
  readonly acked: number;
  readonly attempted: number;
  readonly stored: unknown;
}

/**
 * A steady stream of GET /api/sessions/current and PATCH
 * /api/sessions/current/data. Worker w only ever writes key `w<w>` with an
 * increasing value, one write at a time, so after the fact the stored value
 * must lie between the last acknowledged and the last attempted one: anything
 * lower is an acknowledged write that was lost.
 */
export class RequestStream {
  readonly outcomes: Outcome[] = [];
  /** Per worker, when its request in flight was sent; null between requests. */
  private readonly sentAt: (number | null)[] = [];
  private readonly written = new Map<string, Map<string, WrittenKey>>();
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: RequestStreamOptions) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.options.workers }, (_, w) => this.loop(w));
    return this;
  }

  /** Stops issuing requests and waits for the ones in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Whether every request sent before `at` has been answered and recorded (none is still in flight). */
  settledBefore(at: number): boolean {
    return this.sentAt.every((sent) => sent === null || sent >= at);
  }

  /** Outcomes of requests started in [from, to). */
  startedBetween(from: number, to = Infinity): Outcome[] {
    return this.outcomes.filter((o) => o.startedAt >= from && o.startedAt < to);
  }

  /** Compares what was written with the user_data read back per session id (null: it could not be read). */
  lostWrites(stored: ReadonlyMap<string, Record<string, unknown> | null>): LostWrite[] {
    const lost: LostWrite[] = [];
    for (const [sessionId, keys] of this.written) {
      const data = stored.get(sessionId) ?? {};
      for (const [key, { acked, attempted }] of keys) {
        if (acked === 0) continue;
        const value = data[key];
        if (typeof value !== 'number' || value < acked || value > attempted) lost.push({ sessionId, key, acked, attempted, stored: value });
      }
    }
    return lost;
  }

  /** Number of distinct (session, key) pairs with at least one acknowledged write. */
  get acknowledgedKeys(): number {
    let n = 0;
    for (const keys of this.written.values()) for (const k of keys.values()) if (k.acked > 0) n++;
    return n;
  }

  private async loop(worker: number): Promise<void> {
    const { sessions, label, pauseMs = 10, noAnswerMs } = this.options;
    const key = `w${worker}`;
    for (let i = 0; this.running; i++) {
      const session = sessions[(worker + i) % sessions.length];
      const requestId = `${label}-${worker}-${i}`;
      let outcome: Outcome;
      this.sentAt[worker] = Date.now();
      if (i % 2 === 0) {
        outcome = await readSession(this.options.baseUrl, session, requestId, noAnswerMs);
      } else {
        const slot = this.slot(session.sessionId, key);
        const value = slot.attempted + 1;
        slot.attempted = value;
        outcome = await patchData(this.options.baseUrl, session, { [key]: value }, requestId, noAnswerMs);
        if (outcome.status === 200) slot.acked = value;
      }
      this.outcomes.push(outcome);
      this.sentAt[worker] = null;
      // A refused connection fails at once: back off a little instead of spinning.
      await sleep(outcome.error ? pauseMs * 3 : pauseMs);
    }
  }

  private slot(sessionId: string, key: string): WrittenKey {
    let keys = this.written.get(sessionId);
    if (!keys) this.written.set(sessionId, (keys = new Map()));
    let slot = keys.get(key);
    if (!slot) keys.set(key, (slot = { acked: 0, attempted: 0 }));
    return slot;
  }
}

/** Counts outcomes by `status code` / transport error, e.g. {"200": 40, "503 session_service_unavailable": 12, "ECONNREFUSED": 3}. */
export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const name = o.error ?? [o.status, o.code].filter((x) => x !== undefined).join(' ');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
