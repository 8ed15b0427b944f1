import type { ValidatedSession } from './validated-session';

/** The stable code a host answers with (REST problem `code`, gRPC `x-error-code`), as the session service does. */
export const REAUTHENTICATION_REQUIRED = 'reauthentication_required';

/**
 * True when a route asking for a sign-in no older than `maxAgeMs` must refuse this session: it is
 * anonymous, or was signed in longer ago. Judged on the validated session, so a cached one answers
 * it without a call (the session service's ValidateSession max_authentication_age says the same).
 */
export function needsReauthentication(session: ValidatedSession, maxAgeMs: number, now: number): boolean {
  const at = session.authenticatedAt ?? 0;
  return session.userId === '' || at === 0 || now - at > maxAgeMs;
}
