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

/** What `validateOrCreate` needs from the provider. */
export interface SessionSource<T> {
  readonly client: SessionRestClient;
  readonly locks: LockManagerLike | null;
  /**
   * The id of the session the cookie should hold, as far as the tabs know: the
   * stored one while it has neither ended nor expired by the (skew-corrected)
   * clock. `null` when they know there is none (first visit, ended, expired).
   */
  liveSessionId(): string | null;
  /** Takes an answer in and stores it for the other tabs; a creation is taken in while the lock is still held. */
  accept(result: SessionResult): T;
}

/**
 * Brings the tab onto the cookie's session. It asks the server
 * (`GET current`) only about a session that looks live: for one known to be
 * absent, ended or expired the answer would be a 401, which browsers log as
 * a console error, so it creates one straight away. Creation is
 * single-flight across tabs: it runs under a lock shared by the origin, and
 * whoever gets the lock looks at the stored snapshot again, because the tab
 * that held it before may have just created a session (and set the cookie
 * every tab sends); that one is validated instead of creating another.
 *
 * `refusedId` is a session the server just refused (a write's 401): it is
 * not asked about again.
 */
export async function validateOrCreate<T>(source: SessionSource<T>, refusedId?: string): Promise<T> {
  const known = source.liveSessionId();
  if (known !== null && known !== refusedId) {
    // A 401 here means the server dropped a live-looking session (revoked, swept): create a new one.
    const current = await currentOrNull(source.client);
    if (current) return source.accept(current);
    refusedId = known;
  }
  return withLock(source.locks, CREATE_LOCK_NAME, async () => {
    const fresh = source.liveSessionId();
    const current = fresh !== null && fresh !== refusedId ? await currentOrNull(source.client) : null;
    return source.accept(current ?? (await source.client.create()));
  });
}

export interface GuardedWriteHooks {
  /** `If-Match` for the version this tab knows, read afresh before each attempt. */
  ifMatch(): string | undefined;
  /** Before the single retry: refetches after a conflict, replaces the session after a 401 (`lost`). */
  recover(lost: boolean): Promise<unknown>;
}

/**
 * Sends a data write with `If-Match`. On 412 (someone else wrote first) it
 * refetches and reapplies the same change once; on 401 the session was lost,
 * so it lets `recover` create a new one and applies the change there. A
 * second conflict is reported as `version_conflict` rather than retried
 * forever.
 */
export async function guardedWrite(
  send: (options: WriteOptions) => Promise<SessionResult>,
  hooks: GuardedWriteHooks,
): Promise<SessionResult> {
  try {
    return await send({ ifMatch: hooks.ifMatch() });
  } catch (error) {
    if (!isSessionApiError(error) || !(error.isConflict || error.isUnauthenticated)) throw error;
    await hooks.recover(error.isUnauthenticated);
  }
  try {
    return await send({ ifMatch: hooks.ifMatch() });
  } catch (error) {
    if (isSessionApiError(error) && error.isConflict) {
      throw new SessionApiError(
        412,
        'version_conflict',
        'The session data was changed elsewhere while saving; the change was not saved.',
        error.problem,
      );
    }
    throw error;
  }
}
