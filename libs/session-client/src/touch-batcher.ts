/** Sends session ids to TouchSessions; at most `maxBatch` per call. */
export type TouchSessionsFn = (sessionIds: string[]) => Promise<unknown>;

export interface TouchBatcherOptions {
  readonly touch: TouchSessionsFn;
  /** How often queued ids are sent (1 s in the design). */
  readonly flushIntervalMs: number;
  /** A queue this long is sent at once (1,000: TouchSessions' own limit). */
  readonly maxBatch: number;
  /** A failed touch is not retried: the next hit after the interval queues the id again. */
  readonly onError: (err: unknown) => void;
}

/**
 * Hits from the cache do not reach the service, so the sessions they serve
 * would idle out; this queue reports them in batches instead of one call per hit.
 */
export class TouchBatcher {
  private queue = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: TouchBatcherOptions) {
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
    // Reporting activity must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  get pending(): number {
    return this.queue.size;
  }

  add(sessionId: string): void {
    if (this.closed) return;
    this.queue.add(sessionId);
    if (this.queue.size >= this.options.maxBatch) this.flush();
  }

  flush(): void {
    if (this.queue.size === 0) return;
    const ids = [...this.queue];
    this.queue = new Set();
    for (let i = 0; i < ids.length; i += this.options.maxBatch) {
      this.options.touch(ids.slice(i, i + this.options.maxBatch)).catch(this.options.onError);
    }
  }

  /** Sends what is queued and stops. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.closed = true;
  }
}
