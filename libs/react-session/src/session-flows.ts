import { isSessionApiError, SessionApiError } from './session-api-error';
import { CREATE_LOCK_NAME, withLock, type LockManagerLike } from './create-lock';
import type { SessionRestClient, SessionResult, WriteOptions } from './session-rest-client';

const isUnauthenticated = (error: unknown) => isSessionApiError(error) && error.isUnauthenticated;

/** The current session, or null when the cookie holds none the server accepts (any other failure throws). */
async function currentOrNull(client: SessionRestClient): Promise<SessionResult | null> {
  try {
    return await client.current();
  } catch (error) {
    if (isUnauthenticated(error)) return null;
    throw error;
  }
}

/**
 * Validates the cookie's session and, when there is none, creates one,
 * single-flight across tabs: creation happens under a lock shared by the
 * origin, and whoever gets the lock asks the server again first, because the
 * tab that held it before may have just created the session (and set the
 * cookie every tab sends).
 */
export async function validateOrCreate(client: SessionRestClient, locks: LockManagerLike | null): Promise<SessionResult> {
  const current = await currentOrNull(client);
  if (current) return current;
  return withLock(locks, CREATE_LOCK_NAME, async () => (await currentOrNull(client)) ?? client.create());
}

export interface GuardedWriteHooks {
  /** `If-Match` for the version this tab knows, read afresh before each attempt. */
  ifMatch(): string | undefined;
  /** Refetches (or replaces a lost session) before the single retry. */
  recover(): Promise<unknown>;
}

/**
 * Sends a data write with `If-Match`. On 412 (someone else wrote first) it
 * refetches and reapplies the same change once; on 401 the session was lost,
 * so it lets `recover` create a new one and applies the change there. A
 * second conflict is reported as `version_conflict` rather than retried
 * forever.
 */
export async function guardedWrite(send: (options: WriteOptions) => Promise<SessionResult>, hooks: GuardedWriteHooks): Promise<SessionResult> {
  try {
    return await send({ ifMatch: hooks.ifMatch() });
  } catch (error) {
    if (!isSessionApiError(error) || !(error.isConflict || error.isUnauthenticated)) throw error;
  }
  await hooks.recover();
  try {
    return await send({ ifMatch: hooks.ifMatch() });
  } catch (error) {
    if (isSessionApiError(error) && error.isConflict) {
      throw new SessionApiError(412, 'version_conflict', 'The session data was changed elsewhere while saving; the change was not saved.', error.problem);
    }
    throw error;
  }
}
