import { LRUCache } from 'lru-cache';
import type { EvictionReason, MissReason } from './metrics';
import type { ValidatedSession } from './validated-session';

export interface CacheEntry {
  session: ValidatedSession;
  /** When the answer was cached. */
  readonly cachedAt: number;
  /** When it stops being served: cachedAt + the max age, shortened by this entry's jitter. */
  readonly staleAt: number;
  /**
   * How long after cachedAt a hit also starts a background revalidation (refresh-ahead); the whole life
   * when the host has none. Whole milliseconds relative to cachedAt: a small integer is stored in the
   * entry itself, where an absolute time would be a boxed double (23 more bytes per entry, measured).
   */
  readonly refreshAfterMs: number;
  /** When activity on this session was last reported to the service (a validation with extend, or a touch). */
  reportedAt: number;
}

export type Lookup = { readonly entry: CacheEntry } | { readonly miss: MissReason };

export interface NearCacheOptions {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  /**
   * Each entry lives between (1 - maxAgeJitter) x maxAgeMs and maxAgeMs, at random: entries filled
   * together (a deploy, a reconnect) would otherwise all expire in the same instant and send their
   * whole load to the service at once. Never longer than maxAgeMs, so the bound still holds.
   */
  readonly maxAgeJitter: number;
  readonly random: () => number;
  /**
   * Refresh-ahead: each entry becomes due for a background revalidation at a random point between
   * `from` and `from + spread` of its life, so entries filled together are refreshed over a spread of
   * time rather than at once. Absent: due at staleAt, i.e. never (no refresh-ahead).
   */
  readonly refreshAhead?: { readonly from: number; readonly spread: number };
  readonly onEvict: (reason: EvictionReason, count: number) => void;
}

/**
 * The bounded LRU of validations, keyed by the token's hash, with indexes by
 * session and by user so feed events find their entries without a scan. It
 * knows the per-entry rules (max age, expiry from the cached times); whether
 * the cache may answer at all (feed state) is the CachedValidator's business.
 */
export class NearCache {
  private readonly lru: LRUCache<string, CacheEntry>;
  /** One token is valid per session at a time (rotation replaces it), so one key per session. */
  private readonly keyBySession = new Map<string, string>();
  private readonly sessionsByUser = new Map<string, Set<string>>();

  constructor(private readonly options: NearCacheOptions) {
    this.lru = new LRUCache<string, CacheEntry>({
      max: options.maxEntries,
      dispose: (entry, key, reason) => {
        // 'set' replaces the value under the same key: the indexes stay right.
        if (reason === 'set') return;
        this.unindex(entry.session, key);
        if (reason === 'evict') options.onEvict('lru', 1);
      },
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** The entry if it may be served at `now`; an entry past its age or expiry is dropped and named as the miss reason. */
  lookup(key: string, now: number): Lookup {
    const entry = this.lru.get(key);
    if (!entry) return { miss: 'absent' };
    const { session } = entry;
    if (now >= entry.staleAt) return this.dropAs(key, 'max_age', 'max_age');
    if (now >= session.idleExpiresAt) return this.dropAs(key, 'idle_expired', 'expired');
    if (now >= session.absoluteExpiresAt) return this.dropAs(key, 'absolute_expired', 'expired');
    return { entry };
  }

  put(key: string, session: ValidatedSession, now: number, reportedAt: number): void {
    const previous = this.keyBySession.get(session.sessionId);
    if (previous !== undefined && previous !== key) this.delete(previous, 'rotated');
    const { maxAgeMs, maxAgeJitter, random, refreshAhead } = this.options;
    const life = maxAgeMs * (1 - maxAgeJitter * random());
    const refreshAfterMs = Math.floor(refreshAhead ? life * (refreshAhead.from + refreshAhead.spread * random()) : life);
    this.lru.set(key, { session, cachedAt: now, staleAt: now + life, refreshAfterMs, reportedAt });
    this.keyBySession.set(session.sessionId, key);
    if (session.userId) {
      let set = this.sessionsByUser.get(session.userId);
      if (!set) this.sessionsByUser.set(session.userId, (set = new Set()));
      set.add(session.sessionId);
    }
  }

  delete(key: string, reason: EvictionReason): boolean {
    const deleted = this.lru.delete(key);
    if (deleted) this.options.onEvict(reason, 1);
    return deleted;
  }

  /** Whether `entry` is still the one cached under `key` (not dropped or replaced since it was read). */
  holds(key: string, entry: CacheEntry): boolean {
    return this.lru.peek(key) === entry;
  }

  /** The cached entry of a session (no recency bump: feed events are not use). */
  peekSession(sessionId: string): CacheEntry | undefined {
    const key = this.keyBySession.get(sessionId);
    return key === undefined ? undefined : this.lru.peek(key);
  }

  evictSession(sessionId: string, reason: EvictionReason): boolean {
    const key = this.keyBySession.get(sessionId);
    return key !== undefined && this.delete(key, reason);
  }

  evictUser(userId: string, exceptSessionId: string, reason: EvictionReason): number {
    const sessions = [...(this.sessionsByUser.get(userId) ?? [])];
    return sessions.filter((id) => id !== exceptSessionId && this.evictSession(id, reason)).length;
  }

  clear(reason: EvictionReason): void {
    const count = this.lru.size;
    this.keyBySession.clear();
    this.sessionsByUser.clear();
    // dispose runs per entry with reason 'delete'; the indexes are already empty.
    this.lru.clear();
    if (count > 0) this.options.onEvict(reason, count);
  }

  private dropAs(key: string, miss: MissReason, reason: EvictionReason): Lookup {
    this.delete(key, reason);
    return { miss };
  }

  private unindex(session: ValidatedSession, key: string): void {
    if (this.keyBySession.get(session.sessionId) === key) this.keyBySession.delete(session.sessionId);
    const set = session.userId ? this.sessionsByUser.get(session.userId) : undefined;
    if (!set) return;
    set.delete(session.sessionId);
    if (set.size === 0) this.sessionsByUser.delete(session.userId);
  }
}
