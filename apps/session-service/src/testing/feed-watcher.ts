import { EventEmitter, once } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import { createSessionFeedClient } from '@session/grpc-client';
import type { SessionFeedServiceClient, WatchSessionChangesResponse__Output } from '@session/proto';

/**
 * A real WatchSessionChanges subscriber for specs: keeps every message it received and how the
 * stream ended, and waits on conditions instead of sleeping.
 */
export class FeedWatcher {
  readonly messages: WatchSessionChangesResponse__Output[] = [];
  ended: grpc.StatusObject | undefined;
  /** Messages other than heartbeats so far (kept as a count: conditions are checked on every message). */
  changeCount = 0;
  readonly call: grpc.ClientReadableStream<WatchSessionChangesResponse__Output>;
  private readonly client: SessionFeedServiceClient;
  private readonly events = new EventEmitter();

  constructor(address: string, apiKey?: string) {
    this.client = createSessionFeedClient({ address, apiKey });
    this.call = this.client.WatchSessionChanges({});
    this.call.on('data', (m: WatchSessionChangesResponse__Output) => {
      this.messages.push(m);
      if (m.kind !== 'SESSION_CHANGE_KIND_HEARTBEAT') this.changeCount += 1;
      this.events.emit('change');
    });
    this.call.on('status', (s: grpc.StatusObject) => {
      this.ended = s;
      this.events.emit('change');
    });
    // The status event carries the outcome; without a listener an error would be thrown.
    this.call.on('error', () => undefined);
  }

  /** Messages other than heartbeats, in order. */
  get changes(): WatchSessionChangesResponse__Output[] {
    return this.messages.filter((m) => m.kind !== 'SESSION_CHANGE_KIND_HEARTBEAT');
  }

  /** Resolves once `check` holds (checked on every message and at the end), failing after `timeoutMs`. */
  async until(check: (w: FeedWatcher) => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `feed watcher: no ${what} within ${timeoutMs} ms (got ${this.messages.length} messages, ended: ${JSON.stringify(this.ended)})`,
        );
      const waiting = new AbortController();
      await Promise.race([
        once(this.events, 'change', { signal: waiting.signal }).catch(() => undefined),
        new Promise((r) => setTimeout(r, Math.min(left, 100))),
      ]);
      waiting.abort();
    }
  }

  untilChanges(count: number, timeoutMs?: number): Promise<void> {
    return this.until((w) => w.changeCount >= count, timeoutMs, `${count} changes`);
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}
