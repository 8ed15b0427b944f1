import { ChangeTicks, type FillTicket } from './change-ticks';
import type { FeedChange, FeedEvents } from './feed-events';
import type { RefreshOutcome, SessionCacheMetrics } from './metrics';
import { NearCache, type CacheEntry } from './near-cache';
import { isRefusal, RefreshAhead } from './refresh-ahead';
import { tokenHash } from './token-hash';
import { TouchBatcher, type TouchSessionsFn } from './touch-batcher';
import { timestampMs, versionAtMost, type ValidatedSession } from './validated-session';

/**
 * Background refreshes in flight at most, per process. Throughput is this over the refresh's latency: with
 * 8, a gateway saturating both cores of the bench machine left the service slow enough that 10,000 entries
 * filled together were not renewed within their window and hit their max age together (bench/README.md);
 * 64 renewed them all. Still a bound: entries due together never become a burst the size of the cache.
 */
export const DEFAULT_MAX_REFRESHES_IN_FLIGHT = 64;

/** Validates a token at the session service (ValidateSession, extending the idle expiry); rejects when it is not valid. */
export type ValidateFn = (token: string, context?: unknown) => Promise<ValidatedSession>;

/** What the validator needs to know about the feed: its events and whether every target is complete. */
export interface FeedSource {
  readonly caughtUp: boolean;
  on<K extends keyof FeedEvents>(event: K, listener: (...args: FeedEvents[K]) => void): unknown;
  off<K extends keyof FeedEvents>(event: K, listener: (...args: FeedEvents[K]) => void): unknown;
}

/**
 * Where in an entry's life it becomes due for refresh-ahead: a random point in 40-70 % of it. The rest
 * of the life (at least 30 %, 14 s at the default 60 s less jitter) is the window in which a hit must
 * come to refresh it, so it is kept longer than the gap between a busy session's requests; the spread
 * keeps entries filled together from coming due together (docs/edge-validation.md).
 */
const REFRESH_FROM = 0.4;
const REFRESH_SPREAD = 0.3;

export interface CachedValidatorOptions {
  readonly validate: ValidateFn;
  /**
   * Validates without extending the session (ValidateSession with extend=false), for refresh-ahead:
   * a hit on an entry past its refresh time is served and revalidated in the background, so a hot
   * entry is replaced before its max age instead of turning into a miss. Activity is not reported by
   * it (the touch batcher does that). Absent: no refresh-ahead; entries are asked again at max age.
   */
  readonly refresh?: ValidateFn;
  /** Background refreshes in flight at most (default 8); more due at once are skipped until a later hit. */
  readonly maxRefreshesInFlight?: number;
  readonly touch: TouchSessionsFn;
  readonly feed: FeedSource;
  readonly metrics: SessionCacheMetrics;
  /** SESSION_CACHE_ENABLED: false sends every validation to the service. */
  readonly enabled: boolean;
  readonly maxEntries: number;
  /** SESSION_CACHE_MAX_AGE: bounds what writes that bypass the service (no event) can leave stale. */
  readonly maxAgeMs: number;
  /** Fraction by which an entry's max age is shortened at random (default 0.2; see NearCacheOptions). */
  readonly maxAgeJitter?: number;
  /** Source of the jitter (tests pin it). */
  readonly random?: () => number;
  /** SESSION_TOUCH_INTERVAL: a served session is reported at most this often. */
  readonly touchIntervalMs: number;
  readonly touchFlushMs?: number;
  readonly touchMaxBatch?: number;
  /** How long a validation may take and still be cached (longer than any deadline). */
  readonly fillWindowMs?: number;
  readonly now?: () => number;
  readonly onTouchError?: (err: unknown) => void;
}

/** A write in flight (see beginWrite). */
export type WriteTicket = FillTicket;

/**
 * Token -> session, from the near cache when the cache can be trusted and
 * from the service otherwise. The cache is trusted only while every feed
 * target is connected and past its RESET; any doubt empties it ("fail
 * closed"), so the worst a lost feed costs is latency, never a revoked
 * session served.
 */
export class CachedValidator {
  private readonly cache: NearCache;
  private readonly ticks: ChangeTicks;
  private readonly touches: TouchBatcher;
  private readonly refreshes: RefreshAhead | undefined;
  private readonly now: () => number;
  private readonly onChange = (change: FeedChange) => this.apply(change);
  private readonly onReset = ({ target }: { target: string }) => {
    this.options.metrics.feedConnected.set({ target }, 1);
    this.forgetAll();
  };
  private readonly onDown = ({ target }: { target: string }) => {
    this.options.metrics.feedConnected.set({ target }, 0);
    this.forgetAll();
  };

  constructor(private readonly options: CachedValidatorOptions) {
    this.now = options.now ?? Date.now;
    const { metrics } = options;
    this.cache = new NearCache({
      maxEntries: options.maxEntries,
      maxAgeMs: options.maxAgeMs,
      maxAgeJitter: options.maxAgeJitter ?? 0.2,
      random: options.random ?? Math.random,
      refreshAhead: options.refresh ? { from: REFRESH_FROM, spread: REFRESH_SPREAD } : undefined,
      onEvict: (reason, count) => {
        metrics.evictions.inc({ reason }, count);
        metrics.entries.set(this.cache?.size ?? 0);
      },
    });
    this.ticks = new ChangeTicks({
      retentionMs: options.fillWindowMs ?? 30_000,
      maxIds: Math.max(10_000, options.maxEntries),
      now: this.now,
    });
    this.touches = new TouchBatcher({
      touch: options.touch,
      flushIntervalMs: options.touchFlushMs ?? 1_000,
      maxBatch: options.touchMaxBatch ?? 1_000,
      onError: options.onTouchError ?? (() => undefined),
    });
    this.refreshes = options.refresh
      ? new RefreshAhead({
          maxInFlight: options.maxRefreshesInFlight ?? DEFAULT_MAX_REFRESHES_IN_FLIGHT,
          onOutcome: (outcome) => metrics.refreshes.inc({ outcome }),
        })
      : undefined;
    options.feed.on('change', this.onChange);
    options.feed.on('reset', this.onReset);
    options.feed.on('down', this.onDown);
  }

  get size(): number {
    return this.cache.size;
  }

  get pendingTouches(): number {
    return this.touches.pending;
  }

  /** Background refreshes running now (at most maxRefreshesInFlight). */
  get refreshesInFlight(): number {
    return this.refreshes?.inFlight ?? 0;
  }

  async validate(token: string, context?: unknown): Promise<ValidatedSession> {
    return this.fromCache(token) ?? this.validateRemote(token, context);
  }

  /**
   * The cached answer when the cache may serve it (counted as a hit), else
   * undefined (counted as a miss, by reason). Synchronous, so a host can
   * tell a hit (no call, cannot fail) from a miss before it spends anything
   * on the call (the gateway's invalid-token throttle reserves only for misses).
   * A hit past the entry's refresh time also starts its background refresh.
   */
  fromCache(token: string): ValidatedSession | undefined {
    const now = this.now();
    const reason = !this.options.enabled ? 'disabled' : !this.options.feed.caughtUp ? 'feed_not_ready' : undefined;
    const key = tokenHash(token);
    const found = reason ? { miss: reason } : this.cache.lookup(key, now);
    if ('miss' in found) {
      this.options.metrics.misses.inc({ reason: found.miss });
      return undefined;
    }
    this.options.metrics.hits.inc();
    const { entry } = found;
    if (now - entry.reportedAt >= this.options.touchIntervalMs) {
      entry.reportedAt = now;
      this.touches.add(entry.session.sessionId);
    }
    const { refresh } = this.options;
    if (refresh && now - entry.cachedAt >= entry.refreshAfterMs)
      this.refreshes?.trigger(key, () => this.revalidate(refresh, token, key, entry));
    return entry.session;
  }

  /** A miss: validates at the service (`context` goes to the validate function, e.g. a request id) and caches the answer. */
  async validateRemote(token: string, context?: unknown): Promise<ValidatedSession> {
    const ticket = this.ticks.begin();
    const session = await this.options.validate(token, context);
    // The validation itself reported activity (it extends the idle expiry).
    const now = this.now();
    this.fill(ticket, tokenHash(token), session, now, now);
    return session;
  }

  /**
   * A background revalidation of `entry`, under the same fill rules as a miss (the ticket is taken
   * before the call, so a change during it wins). It replaces only the entry it was started for: one
   * dropped or rewritten meanwhile (logout, a write, an eviction) is not brought back.
   */
  private async revalidate(refresh: ValidateFn, token: string, key: string, entry: CacheEntry): Promise<RefreshOutcome> {
    const ticket = this.ticks.begin();
    let session: ValidatedSession;
    try {
      session = await refresh(token);
    } catch (err) {
      if (!isRefusal(err)) return 'failed'; // no answer: the entry stays, bounded by its max age
      this.cache.delete(key, 'refused');
      return 'refused';
    }
    if (!this.cache.holds(key, entry)) return 'discarded';
    // An EXTENDED received during the call may have moved the cached idle expiry past the answer's;
    // only writes (which forbid this fill) move it back, so the later of the two is right.
    const idleExpiresAt = Math.max(session.idleExpiresAt, entry.session.idleExpiresAt);
    // Not extended, so no activity was reported: the entry keeps its reporting time for the touch batcher.
    return this.fill(ticket, key, { ...session, idleExpiresAt }, this.now(), entry.reportedAt) ? 'refreshed' : 'discarded';
  }

  /** Call before a write through the service (update, touch, bind), and commitWrite with its answer. */
  beginWrite(): WriteTicket {
    return this.ticks.begin();
  }

  /**
   * Puts the write's answer in the cache so this client reads its own write
   * at once; `replaces` is the token a rotation (BindUser) made invalid. If a
   * change about the session arrived meanwhile, the answer may already be
   * stale, so the entry is dropped instead (the next read goes to the service).
   */
  commitWrite(ticket: WriteTicket, token: string, session: ValidatedSession, replaces?: string): void {
    if (replaces !== undefined && replaces !== token) this.cache.delete(tokenHash(replaces), 'write');
    const key = tokenHash(token);
    const now = this.now();
    if (!this.fill(ticket, key, session, now, now)) this.cache.delete(key, 'write');
  }

  /** Forgets a token whose session ended or changed in a way the answer does not show (logout, a failed write). */
  drop(token: string): void {
    this.cache.delete(tokenHash(token), 'write');
  }

  /** Forgets a session known to have ended by this process's own write (revoking another of the user's sessions). */
  dropSession(sessionId: string): void {
    this.cache.evictSession(sessionId, 'write');
  }

  /** Forgets a user's sessions but one, ended by this process's own write (sign out everywhere else). */
  dropUserSessions(userId: string, exceptSessionId: string): void {
    this.cache.evictUser(userId, exceptSessionId, 'write');
  }

  close(): void {
    this.options.feed.off('change', this.onChange);
    this.options.feed.off('reset', this.onReset);
    this.options.feed.off('down', this.onDown);
    this.touches.close();
  }

  private fill(ticket: FillTicket, key: string, session: ValidatedSession, now: number, reportedAt: number): boolean {
    if (!this.options.enabled || !this.options.feed.caughtUp) return false;
    if (!this.ticks.mayFill(ticket, session.sessionId, session.userId)) return false;
    this.cache.put(key, session, now, reportedAt);
    this.options.metrics.entries.set(this.cache.size);
    return true;
  }

  private forgetAll(): void {
    this.ticks.noteReset();
    this.cache.clear('reset');
    this.options.metrics.feedResets.inc();
  }

  private apply({ kind, message, receivedAt }: FeedChange): void {
    if (message.changed_at) this.options.metrics.feedLag.observe(Math.max(0, receivedAt - timestampMs(message.changed_at)) / 1000);
    const id = message.session_id;
    switch (kind) {
      case 'SESSION_CHANGE_KIND_EXTENDED': {
        // Not a tick: a miss's own validation publishes EXTENDED, which must not stop that answer being cached.
        const entry = this.cache.peekSession(id);
        const next = timestampMs(message.idle_expires_at);
        if (entry && next > entry.session.idleExpiresAt) {
          entry.session = { ...entry.session, idleExpiresAt: next };
          // The service saw activity: no need to report this session again before the next interval.
          entry.reportedAt = Math.max(entry.reportedAt, receivedAt);
        }
        return;
      }
      case 'SESSION_CHANGE_KIND_UPDATED': {
        this.ticks.noteSession(id);
        const entry = this.cache.peekSession(id);
        if (entry && !versionAtMost(message.version, entry.session.version)) this.cache.evictSession(id, 'updated');
        return;
      }
      case 'SESSION_CHANGE_KIND_USER_REVOKED':
        this.ticks.noteUser(message.user_id);
        this.cache.evictUser(message.user_id, message.except_session_id, 'user_revoked');
        return;
      default:
        this.ticks.noteSession(id);
        this.cache.evictSession(
          id,
          kind === 'SESSION_CHANGE_KIND_ROTATED' ? 'rotated' : kind === 'SESSION_CHANGE_KIND_REVOKED' ? 'revoked' : 'removed',
        );
    }
  }
}
