import { EventEmitter, on } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { apiKeyInterceptor } from '@session/grpc-client';
import { loadSessionPackage, type SessionFeedServiceClient, type WatchSessionChangesResponse__Output } from '@session/proto';
import type { FeedChange, FeedDownReason, FeedEvents } from './feed-events';

export interface FeedSubscriberOptions {
  /** `host:port` of every session-service replica: each one publishes only its own writes. */
  readonly targets: readonly string[];
  /** No message (a heartbeat comes every second) for this long means the stream is dead (FEED_STALE_AFTER). */
  readonly staleAfterMs: number;
  readonly apiKey?: string;
  readonly credentials?: grpc.ChannelCredentials;
  /** First reconnect delay; doubled per failure up to maxBackoffMs, back to this after a RESET. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly now?: () => number;
}

type TargetState = 'connecting' | 'live' | 'down';

class TargetStream {
  state: TargetState = 'down';
  streamId = '';
  expected = 0;
  backoffMs: number;
  call: grpc.ClientReadableStream<WatchSessionChangesResponse__Output> | undefined;
  watchdog: NodeJS.Timeout | undefined;
  retry: NodeJS.Timeout | undefined;

  constructor(
    readonly target: string,
    readonly client: SessionFeedServiceClient,
    initialBackoffMs: number,
  ) {
    this.backoffMs = initialBackoffMs;
  }
}

const SESSION_CHANGES = new Set([
  'SESSION_CHANGE_KIND_UPDATED',
  'SESSION_CHANGE_KIND_EXTENDED',
  'SESSION_CHANGE_KIND_ROTATED',
  'SESSION_CHANGE_KIND_REVOKED',
  'SESSION_CHANGE_KIND_USER_REVOKED',
  'SESSION_CHANGE_KIND_REMOVED',
]);

/**
 * One WatchSessionChanges stream per session-service replica, kept open:
 * reconnects with backoff, checks that each stream starts with RESET and
 * counts up by one, and declares a stream dead when nothing (not even a
 * heartbeat) came for staleAfterMs. Consumers listen to its events (or
 * iterate `changes()`); `caughtUp` says whether every target's view is complete.
 */
export class FeedSubscriber extends EventEmitter<FeedEvents> {
  private readonly streams = new Map<string, TargetStream>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: FeedSubscriberOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  start(): this {
    this.setTargets(this.options.targets);
    return this;
  }

  /** True when there is at least one target and every one is connected and past its RESET. */
  get caughtUp(): boolean {
    if (this.streams.size === 0) return false;
    for (const s of this.streams.values()) if (s.state !== 'live') return false;
    return true;
  }

  get targets(): string[] {
    return [...this.streams.keys()];
  }

  isLive(target: string): boolean {
    return this.streams.get(target)?.state === 'live';
  }

  /** Follows a changed replica list (re-resolved DNS): new targets connect, gone ones are closed. */
  setTargets(targets: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(targets);
    for (const [target, stream] of this.streams) {
      if (wanted.has(target)) continue;
      this.streams.delete(target);
      this.stop(stream);
      stream.client.close();
      this.emit('down', { target, reason: 'removed', detail: 'no longer a target' });
    }
    const { proto } = loadSessionPackage();
    for (const target of wanted) {
      if (this.streams.has(target)) continue;
      const client = new proto.session.v1.SessionFeedService(target, this.options.credentials ?? grpc.credentials.createInsecure(), {
        // A dead peer behind a live TCP path is found by the watchdog; keepalive finds a dead path.
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5_000,
        'grpc.initial_reconnect_backoff_ms': this.options.initialBackoffMs ?? 100,
        'grpc.max_reconnect_backoff_ms': this.options.maxBackoffMs ?? 5_000,
        interceptors: this.options.apiKey ? [apiKeyInterceptor(this.options.apiKey)] : [],
      });
      const stream = new TargetStream(target, client, this.options.initialBackoffMs ?? 100);
      this.streams.set(target, stream);
      this.connect(stream);
    }
  }

  /** The raw feed for other services: every change, until the signal aborts. */
  async *changes(signal?: AbortSignal): AsyncGenerator<FeedChange> {
    try {
      for await (const [change] of on(this, 'change', { signal })) yield change as FeedChange;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  }

  close(): void {
    this.closed = true;
    for (const stream of this.streams.values()) {
      this.stop(stream);
      stream.client.close();
    }
    this.streams.clear();
  }

  private connect(stream: TargetStream): void {
    if (this.closed || this.streams.get(stream.target) !== stream) return;
    stream.state = 'connecting';
    stream.expected = 1;
    const call = stream.client.WatchSessionChanges({});
    stream.call = call;
    this.armWatchdog(stream);
    call.on('data', (message: WatchSessionChangesResponse__Output) => {
      if (stream.call === call) this.receive(stream, message);
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (stream.call === call) this.lose(stream, 'lost', `${grpc.status[err.code] ?? err.code}: ${err.details}`);
    });
    call.on('end', () => {
      if (stream.call === call) this.lose(stream, 'ended', 'the server ended the stream');
    });
  }

  private receive(stream: TargetStream, message: WatchSessionChangesResponse__Output): void {
    stream.watchdog?.refresh();
    const sequence = Number(message.sequence);
    if (stream.state === 'connecting') {
      if (message.kind !== 'SESSION_CHANGE_KIND_RESET' || sequence !== 1) {
        return this.lose(stream, 'protocol', `stream began with ${message.kind} #${message.sequence}, not RESET #1`);
      }
      stream.state = 'live';
      stream.streamId = message.stream_id;
      stream.expected = 2;
      stream.backoffMs = this.options.initialBackoffMs ?? 100;
      this.emit('reset', { target: stream.target, streamId: message.stream_id });
      return;
    }
    if (sequence !== stream.expected || message.stream_id !== stream.streamId || message.kind === 'SESSION_CHANGE_KIND_RESET') {
      return this.lose(
        stream,
        'gap',
        `expected #${stream.expected} of ${stream.streamId}, got ${message.kind} #${message.sequence} of ${message.stream_id}`,
      );
    }
    stream.expected += 1;
    if (SESSION_CHANGES.has(message.kind)) {
      this.emit('change', { target: stream.target, kind: message.kind as FeedChange['kind'], message, receivedAt: this.now() });
    }
  }

  /** Ends the stream, tells listeners, and reconnects after the backoff. */
  private lose(stream: TargetStream, reason: FeedDownReason, detail: string): void {
    this.stop(stream);
    stream.state = 'down';
    this.emit('down', { target: stream.target, reason, detail });
    if (this.closed) return;
    const jitter = 0.8 + Math.random() * 0.4; // replicas restarted together should not be hit in lockstep
    stream.retry = setTimeout(() => this.connect(stream), Math.round(stream.backoffMs * jitter));
    stream.retry.unref();
    stream.backoffMs = Math.min(stream.backoffMs * 2, this.options.maxBackoffMs ?? 5_000);
  }

  private stop(stream: TargetStream): void {
    clearTimeout(stream.watchdog);
    clearTimeout(stream.retry);
    const call = stream.call;
    stream.call = undefined;
    call?.cancel();
  }

  private armWatchdog(stream: TargetStream): void {
    clearTimeout(stream.watchdog);
    stream.watchdog = setTimeout(
      () => this.lose(stream, 'stale', `no message for ${this.options.staleAfterMs} ms`),
      this.options.staleAfterMs,
    );
    stream.watchdog.unref();
  }
}
