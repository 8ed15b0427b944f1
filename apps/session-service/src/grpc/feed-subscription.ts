import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY, type WatchSessionChangesRequest__Output, type WatchSessionChangesResponse } from '@session/proto';
import type { ChangeListener, PublishedChange } from '../feed/change-bus';
import { encodeChange, heartbeatMessage, resetMessage, type UnstampedMessage } from './feed-messages';

export type FeedCall = grpc.ServerWritableStream<WatchSessionChangesRequest__Output, WatchSessionChangesResponse>;

export interface FeedStreamSettings {
  /** A HEARTBEAT goes out after this long without any message (FEED_HEARTBEAT_INTERVAL). */
  readonly heartbeatIntervalMs: number;
  /** Messages held for a subscriber that is not reading; one more ends its stream (FEED_BUFFER_SIZE). */
  readonly bufferSize: number;
}

/** `x-error-code` of a stream ended because its subscriber fell behind. */
export const FEED_OVERFLOW_ERROR_CODE = 'feed_overflow';

/**
 * One WatchSessionChanges stream: RESET #1 first, then every change in order with sequence + 1, and
 * a HEARTBEAT when idle. grpc-js's `write()` returning false means the client is not taking messages
 * as fast as they come; from then on messages wait in a bounded queue until 'drain'. A subscriber
 * that falls `bufferSize` messages behind is cut off with RESOURCE_EXHAUSTED (it reconnects and
 * starts over from a RESET) instead of growing this process's memory or slowing the writers.
 */
export class FeedSubscription implements ChangeListener {
  private sequence = 0;
  // A queue with a moving head: Array#shift would copy up to bufferSize entries per message.
  private queue: UnstampedMessage[] = [];
  private head = 0;
  private writable = true;
  private done = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly call: FeedCall,
    private readonly streamId: string,
    private readonly settings: FeedStreamSettings,
    private readonly hooks: { readonly onOverflow: () => void; readonly onDone: () => void },
  ) {
    this.heartbeat = setTimeout(() => this.beat(), settings.heartbeatIntervalMs);
    // A stream must never keep a process alive that is otherwise done.
    this.heartbeat.unref();
    call.on('drain', () => this.flush());
    // Client cancel, lost connection, or the end of the stream after its status went out.
    call.on('cancelled', () => this.finish());
    call.on('finish', () => this.finish());
    this.write(resetMessage());
  }

  onChange(event: PublishedChange): void {
    this.send(encodeChange(event));
  }

  /** Shutdown: the stream ends now; what is still queued is dropped (the subscriber starts over anyway). */
  onClose(): void {
    if (this.done) return;
    this.finish();
    this.call.end();
  }

  private send(message: UnstampedMessage): void {
    if (this.done) return;
    if (this.writable && this.queued === 0) return this.write(message);
    if (this.queued >= this.settings.bufferSize) return this.overflow();
    this.queue.push(message);
  }

  private write(message: UnstampedMessage): void {
    this.sequence += 1;
    this.writable = this.call.write({ ...message, stream_id: this.streamId, sequence: this.sequence });
    this.heartbeat.refresh();
  }

  private get queued(): number {
    return this.queue.length - this.head;
  }

  private flush(): void {
    this.writable = true;
    while (!this.done && this.writable && this.head < this.queue.length) this.write(this.queue[this.head++] as UnstampedMessage);
    if (this.queued === 0) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** Only an idle, writable stream needs one: any other message proves the replica alive as well. */
  private beat(): void {
    if (this.done) return;
    if (this.writable && this.queued === 0) this.write(heartbeatMessage());
    else this.heartbeat.refresh();
  }

  private overflow(): void {
    this.finish();
    this.hooks.onOverflow();
    const metadata = new grpc.Metadata();
    metadata.set(ERROR_CODE_METADATA_KEY, FEED_OVERFLOW_ERROR_CODE);
    // grpc-js turns an 'error' on a server stream into its status, sent after what was already written.
    this.call.emit('error', {
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: `the subscriber fell more than ${this.settings.bufferSize} messages behind; reconnect for a RESET`,
      metadata,
    });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue = [];
    this.head = 0;
    clearTimeout(this.heartbeat);
    this.hooks.onDone();
  }
}
