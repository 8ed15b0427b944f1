/**
 * Token checks in flight per client address. The invalid-token throttle
 * counts failures only once the session service has answered; without
 * these reservations a burst sent before the first answer would all pass
 * the "fewer than the limit so far" test. Keys leave the map when their
 * count drops to zero, so its size is bounded by the requests in flight.
 */
export class InFlightSlots {
  private readonly counts = new Map<string, number>();

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Takes a slot now (synchronously, so concurrent requests see each other); the returned release is idempotent. */
  reserve(key: string): () => void {
    this.counts.set(key, this.count(key) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = this.count(key) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    };
  }
}
