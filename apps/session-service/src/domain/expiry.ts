export interface ExpiryPolicy {
  readonly idleTtlMs: number;
  readonly absoluteTtlMs: number;
  readonly touchIntervalMs: number;
}

export interface ExpiryTimes {
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly expiresAt: Date;
}

export type SessionState = 'live' | 'expired' | 'revoked';

function earlier(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

export function initialExpiry(now: Date, policy: ExpiryPolicy): ExpiryTimes {
  const idleExpiresAt = new Date(now.getTime() + policy.idleTtlMs);
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteTtlMs);
  return { idleExpiresAt, absoluteExpiresAt, expiresAt: earlier(idleExpiresAt, absoluteExpiresAt) };
}

/** Slides the idle expiry from `now`; the absolute expiry never moves. */
export function extendedExpiry(absoluteExpiresAt: Date, now: Date, policy: ExpiryPolicy): ExpiryTimes {
  const idleExpiresAt = new Date(now.getTime() + policy.idleTtlMs);
  return { idleExpiresAt, absoluteExpiresAt, expiresAt: earlier(idleExpiresAt, absoluteExpiresAt) };
}

export interface BindExpiryPolicy extends ExpiryPolicy {
  readonly browserAbsoluteTtlMs: number;
}

/**
 * The absolute expiry a bind gives. With remember me, the full lifetime from creation (a sign-in
 * with it restores what a sign-in without it shortened). Without, no later than the browser
 * lifetime from the bind, and never later than the session already had.
 */
export function boundAbsoluteExpiry(
  session: { createdAt: Date; absoluteExpiresAt: Date },
  rememberMe: boolean,
  now: Date,
  policy: BindExpiryPolicy,
): Date {
  if (rememberMe) return new Date(session.createdAt.getTime() + policy.absoluteTtlMs);
  return earlier(session.absoluteExpiresAt, new Date(now.getTime() + policy.browserAbsoluteTtlMs));
}

/** Revocation wins over expiry: it is the more specific reason to report. */
export function sessionState(session: { revokedAt: Date | null; idleExpiresAt: Date; absoluteExpiresAt: Date }, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  const t = now.getTime();
  if (t >= session.idleExpiresAt.getTime() || t >= session.absoluteExpiresAt.getTime()) return 'expired';
  return 'live';
}

/** Validation writes the slid expiry at most once per touch interval, measured from the last write. */
export function touchIsDue(lastSeenAt: Date, now: Date, policy: ExpiryPolicy): boolean {
  return now.getTime() - lastSeenAt.getTime() >= policy.touchIntervalMs;
}
