import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type MissReason = 'disabled' | 'feed_not_ready' | 'absent' | 'max_age' | 'idle_expired' | 'absolute_expired';
export type EvictionReason =
  'updated' | 'rotated' | 'revoked' | 'user_revoked' | 'removed' | 'reset' | 'max_age' | 'expired' | 'lru' | 'write' | 'refused';
/**
 * What became of a background revalidation: refreshed (answer cached), discarded (valid, but a change
 * or a drop during the call forbade caching it), refused (the service said the session is not valid:
 * entry dropped), failed (transport error, UNAVAILABLE, ...: entry left to its max age), skipped
 * (the cap on refreshes in flight was reached: a later hit tries again).
 */
export type RefreshOutcome = 'refreshed' | 'discarded' | 'refused' | 'failed' | 'skipped';

/** The near cache's and the feed's metrics, registered on the host's registry (one set per registry). */
export interface SessionCacheMetrics {
  readonly hits: Counter;
  readonly misses: Counter<'reason'>;
  readonly evictions: Counter<'reason'>;
  readonly refreshes: Counter<'outcome'>;
  readonly entries: Gauge;
  readonly feedConnected: Gauge<'target'>;
  readonly feedLag: Histogram;
  readonly feedResets: Counter;
}

export function createSessionCacheMetrics(registry: Registry): SessionCacheMetrics {
  const registers = [registry];
  return {
    hits: new Counter({ name: 'session_cache_hits_total', help: 'validations served from the near cache', registers }),
    misses: new Counter({
      name: 'session_cache_misses_total',
      help: 'validations sent to the session service, by why the cache could not answer',
      labelNames: ['reason'],
      registers,
    }),
    evictions: new Counter({
      name: 'session_cache_evictions_total',
      help: 'near cache entries dropped, by cause',
      labelNames: ['reason'],
      registers,
    }),
    refreshes: new Counter({
      name: 'session_cache_refreshes_total',
      help: 'background revalidations of entries near their max age (refresh-ahead), by outcome; neither hits nor misses',
      labelNames: ['outcome'],
      registers,
    }),
    entries: new Gauge({ name: 'session_cache_entries', help: 'entries in the near cache', registers }),
    feedConnected: new Gauge({
      name: 'session_feed_connected',
      help: '1 while the change feed of this target is connected and past its RESET',
      labelNames: ['target'],
      registers,
    }),
    feedLag: new Histogram({
      name: 'session_feed_lag_seconds',
      help: 'receipt time minus changed_at of feed changes',
      // Revocation must reach every gateway within 100 ms: the buckets resolve around that bound.
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    feedResets: new Counter({
      name: 'session_feed_resets_total',
      help: 'RESETs, sequence gaps, lost and stale streams: each one emptied the cache',
      registers,
    }),
  };
}
