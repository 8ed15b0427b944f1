import { EventEmitter } from 'node:events';
import type { WatchSessionChangesResponse } from '@session/proto';
import { Registry } from 'prom-client';
import type { FeedChange, FeedEvents } from '../feed-events';
import { createSessionCacheMetrics } from '../metrics';
import { dateToTimestamp } from '@session/proto';
import type { ValidatedSession } from '../validated-session';

/** A feed whose state the test sets and whose events the test emits. */
export class FakeFeed extends EventEmitter<FeedEvents> {
  caughtUp = true;

  change(kind: FeedChange['kind'], message: WatchSessionChangesResponse, receivedAt = 0): void {
    const full = {
      stream_id: 's',
      sequence: '2',
      session_id: '',
      user_id: '',
      version: '0',
      idle_expires_at: null,
      except_session_id: '',
      changed_at: null,
      ...message,
      kind,
    };
    this.emit('change', { target: 't', kind, message: full as FeedChange['message'], receivedAt });
  }
}

export const atMs = (ms: number) => dateToTimestamp(new Date(ms));

export function session(id: string, overrides: Partial<ValidatedSession> = {}): ValidatedSession {
  return {
    sessionId: id,
    userId: '',
    version: '1',
    userData: { theme: 'dark' },
    createdAt: 0,
    updatedAt: 0,
    lastSeenAt: 0,
    idleExpiresAt: 3_600_000,
    absoluteExpiresAt: 86_400_000,
    ...overrides,
  };
}

/** Tokens are `<session id>.<secret>` as the service mints them; the fake validates any such token to its table entry. */
export class FakeService {
  readonly sessions = new Map<string, ValidatedSession>();
  calls = 0;
  readonly touched: string[][] = [];
  /** Set to hold answers until the test releases them (fill-race tests). */
  gate: Promise<void> | undefined;
  failWith: { code: number } | undefined;

  /** Holds every answer until the returned function is called (fill-race and refresh tests). */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((r) => (release = r));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  /** Validations without extend (refresh-ahead), counted apart from `calls`. */
  refreshCalls = 0;

  readonly validate = async (token: string): Promise<ValidatedSession> => {
    this.calls += 1;
    return this.answer(token);
  };

  readonly refresh = async (token: string): Promise<ValidatedSession> => {
    this.refreshCalls += 1;
    return this.answer(token);
  };

  private async answer(token: string): Promise<ValidatedSession> {
    const found = this.sessions.get(token.split('.')[0]);
    await this.gate;
    if (this.failWith) throw Object.assign(new Error('failed'), this.failWith);
    if (!found) throw Object.assign(new Error('invalid'), { code: 16 });
    return found;
  }

  readonly touch = async (ids: string[]): Promise<void> => {
    this.touched.push(ids);
  };
}

export function testMetrics() {
  const registry = new Registry();
  const metrics = createSessionCacheMetrics(registry);
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = registry.getSingleMetric(name);
    if (!metric) throw new Error(`no metric ${name}`);
    const { values } = await metric.get();
    const hit = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
    return hit?.value ?? 0;
  };
  return { registry, metrics, value };
}
