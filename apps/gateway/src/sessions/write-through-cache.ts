import type { Session__Output } from '@session/proto';
import { fromProtoSession, type CachedValidator } from '@session/session-client';

/**
 * Runs a write of the token's session at the service and puts its answer in
 * the near cache, so this client reads its own write at once (other
 * gateways learn it from the feed). A failed write drops the entry: the
 * failure (revoked, conflict, unknown outcome) may mean the cached answer is
 * no longer the truth.
 */
export async function writeThroughCache(
  cache: CachedValidator,
  token: string,
  write: () => Promise<Session__Output | null | undefined>,
): Promise<Session__Output | null | undefined> {
  const ticket = cache.beginWrite();
  try {
    const session = await write();
    if (session) cache.commitWrite(ticket, token, fromProtoSession(session));
    else cache.drop(token);
    return session;
  } catch (err) {
    cache.drop(token);
    throw err;
  }
}
