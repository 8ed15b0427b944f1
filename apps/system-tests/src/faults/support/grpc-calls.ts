import { status, type ServiceError } from '@grpc/grpc-js';
import type { SessionApi } from '@session/grpc-client';
import { jsonToStruct } from '@session/proto';
import { sleep } from './wait';

/** What became of one gRPC call: `OK` or the status name it failed with. */
export interface CallOutcome {
  readonly op: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly code: string;
}

export async function timedCall(op: string, call: () => Promise<unknown>): Promise<CallOutcome> {
  const startedAt = Date.now();
  try {
    await call();
    return { op, startedAt, endedAt: Date.now(), code: 'OK' };
  } catch (err) {
    const code = (err as Partial<ServiceError>).code;
    return { op, startedAt, endedAt: Date.now(), code: code === undefined ? String(err) : status[code] };
  }
}

/** A read (ValidateSession without extending) or a merge of one key, by token. */
export function sessionCall(api: SessionApi, token: string, i: number): () => Promise<unknown> {
  return i % 2 === 0
    ? () => api.validateSession({ token, extend: false })
    : () => api.updateSessionData({ token, user_data: jsonToStruct({ [`k${i % 8}`]: i }), mode: 'UPDATE_MODE_MERGE' });
}

/** Concurrent loops of validate/update calls straight to the session service, until stopped. */
export class CallStream {
  readonly outcomes: CallOutcome[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly api: SessionApi,
    private readonly tokens: readonly string[],
    private readonly workers: number,
  ) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.workers }, (_, w) => this.loop(w));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(worker: number): Promise<void> {
    for (let i = 0; this.running; i++) {
      const outcome = await timedCall(
        i % 2 === 0 ? 'validate' : 'update',
        sessionCall(this.api, this.tokens[(worker + i) % this.tokens.length], i),
      );
      this.outcomes.push(outcome);
      await sleep(outcome.code === 'OK' ? 10 : 30);
    }
  }
}

/** Counts outcomes by status name. */
export function tallyCodes(outcomes: readonly CallOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.code] = (counts[o.code] ?? 0) + 1;
  return counts;
}
