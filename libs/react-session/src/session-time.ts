import type { SessionDto } from '@session/rest-contract';

/** Epoch ms at which the session stops being valid: the earlier of its idle and absolute expiry. */
export function sessionExpiresAt(session: SessionDto): number {
  return Math.min(Date.parse(session.idle_expires_at), Date.parse(session.absolute_expires_at));
}

/** The idle timeout the server applied at the last activity (idle expiry minus last activity). */
export function idleTtlMs(session: SessionDto): number {
  return Math.max(0, Date.parse(session.idle_expires_at) - Date.parse(session.last_seen_at));
}

/** Milliseconds left at `now`, never negative. */
export function timeLeftAt(session: SessionDto, now: number): number {
  return Math.max(0, sessionExpiresAt(session) - now);
}

/**
 * Whether `next` may replace `current` as this tab's view. Another session
 * id always wins (the cookie, shared by all tabs, moved on); for the same
 * session an older data version never overwrites a newer one, so a slow
 * answer cannot undo a later edit. Equal versions take the newer answer
 * (its expiry is the server's latest word).
 */
export function supersedes(next: SessionDto, current: SessionDto | null): boolean {
  return !current || next.session_id !== current.session_id || next.version >= current.version;
}

/**
 * Server clock minus local clock from an HTTP `Date` header (whole seconds,
 * so the raw difference is up to a second short). Differences inside that
 * noise count as none, so a countdown does not jitter between answers.
 */
export function estimateSkewMs(serverTime: number, localNow: number): number {
  const skew = serverTime + 500 - localNow;
  return Math.abs(skew) < 1500 ? 0 : skew;
}
