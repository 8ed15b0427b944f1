/** What a fill remembers from the moment its request started. */
export interface FillTicket {
  readonly tick: number;
  readonly startedAt: number;
}

export interface ChangeTicksOptions {
  /** A fill started longer ago than this is refused: its ticks may have been pruned. */
  readonly retentionMs: number;
  /** Above this many remembered ids, forget them all and count it as a reset (refuse every older fill). */
  readonly maxIds: number;
  readonly now: () => number;
}

/**
 * Fill-race protection. A validation answer that left the service before a
 * change was published but arrives after it would put stale data in the
 * cache; so every change bumps a counter and records it against its session
 * and user, and an answer is cached only if nothing about its session, its
 * user, or the whole feed (a reset) happened since its request started.
 * Bounded by age (retentionMs) and by size (maxIds).
 */
export class ChangeTicks {
  private counter = 0;
  private resetTick = 0;
  private readonly bySession = new Map<string, { tick: number; at: number }>();
  private readonly byUser = new Map<string, { tick: number; at: number }>();

  constructor(private readonly options: ChangeTicksOptions) {}

  begin(): FillTicket {
    return { tick: this.counter, startedAt: this.options.now() };
  }

  mayFill(ticket: FillTicket, sessionId: string, userId: string): boolean {
    if (this.options.now() - ticket.startedAt >= this.options.retentionMs) return false;
    if (this.resetTick > ticket.tick) return false;
    const s = this.bySession.get(sessionId);
    if (s && s.tick > ticket.tick) return false;
    const u = userId ? this.byUser.get(userId) : undefined;
    return !(u && u.tick > ticket.tick);
  }

  noteSession(sessionId: string): void {
    this.note(this.bySession, sessionId);
  }

  noteUser(userId: string): void {
    this.note(this.byUser, userId);
  }

  noteReset(): void {
    this.resetTick = ++this.counter;
    this.bySession.clear();
    this.byUser.clear();
  }

  /** Remembered ids, for tests of the bound. */
  get size(): number {
    return this.bySession.size + this.byUser.size;
  }

  private note(map: Map<string, { tick: number; at: number }>, id: string): void {
    if (!id) return;
    const now = this.options.now();
    map.delete(id); // re-insert so the Map's order stays oldest-first for pruning
    map.set(id, { tick: ++this.counter, at: now });
    this.prune(map, now);
    if (this.size > this.options.maxIds) this.noteReset();
  }

  private prune(map: Map<string, { tick: number; at: number }>, now: number): void {
    for (const [id, entry] of map) {
      if (now - entry.at < this.options.retentionMs) break;
      map.delete(id);
    }
  }
}
