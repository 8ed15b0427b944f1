import { isSessionApiError } from './session-api-error';
import type { SessionRestClient } from './session-rest-client';
import { forgetSessionSnapshot, readSnapshot, type SnapshotStorage } from './session-snapshot';

/**
 * `client`, except that any 401 (the session behind the cookie is gone) also
 * removes the stored snapshot of the session the tabs believed in when the
 * call was sent, so its user id and data do not wait for the next visit to be
 * replaced. Comparing the id leaves alone a snapshot another tab wrote for a
 * newer session in the meantime.
 */
export function forgetOnUnauthenticated(client: SessionRestClient, storage: SnapshotStorage | null): SessionRestClient {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const sentFor = readSnapshot(storage);
      try {
        return await call(...args);
      } catch (error) {
        if (sentFor?.kind === 'session' && isSessionApiError(error) && error.isUnauthenticated) {
          forgetSessionSnapshot(storage, (stored) => stored.session_id === sentFor.session_id);
        }
        throw error;
      }
    };
  // Every endpoint, the account ones included: any of them can be the one that finds the session gone.
  const guarded = {} as Record<string, unknown>;
  for (const [name, call] of Object.entries(client) as Array<[string, (...args: unknown[]) => Promise<unknown>]>)
    guarded[name] = guard(call.bind(client));
  return guarded as unknown as SessionRestClient;
}
