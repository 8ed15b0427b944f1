import { idleTtlMs, sessionExpiresAt } from '@session/react-session';
import type { SessionDto } from '@session/rest-contract';

const FIVE_MINUTES = 5 * 60_000;

/**
 * How long before expiry the warning shows: five minutes, or half the idle
 * timeout when that is shorter (short timeouts in tests and demos would
 * otherwise warn all the time).
 */
export function warningWindowMs(session: SessionDto): number {
  return Math.min(FIVE_MINUTES, idleTtlMs(session) / 2);
}

export type ExpiryWarning = { kind: 'none' } | { kind: 'idle' } | { kind: 'absolute' };

/** Whether to warn, and whether activity can still help ('idle') or the session reaches its maximum age ('absolute'). */
export function expiryWarning(session: SessionDto, timeLeftMs: number): ExpiryWarning {
  if (timeLeftMs > warningWindowMs(session)) return { kind: 'none' };
  const absoluteFirst = Date.parse(session.absolute_expires_at) <= sessionExpiresAt(session);
  return { kind: absoluteFirst ? 'absolute' : 'idle' };
}
