/**
 * Serializes async work per key (here: per session id) inside one process.
 *
 * Why: FerretDB applies an update by reading the document and writing the
 * whole document back, without isolation, so two concurrent writes to one
 * session lose data and even compare-and-set filters let several writers
 * win. Queuing every write to a session behind the previous one makes this
 * process correct on FerretDB; the version / revoked_at conditions kept in
 * the update filters are what keep several replicas correct on MongoDB,
 * where single-document updates are atomic.
 *
 * A key's entry is removed when its queue drains, so memory stays bounded by
 * the number of sessions with a write in flight.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    this.tails.set(key, tail);
    if (previous) await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
