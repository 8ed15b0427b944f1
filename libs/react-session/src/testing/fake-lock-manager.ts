import { withLock, type LockManagerLike } from '../create-lock';

/** A lock manager shared by controllers in one test, like `navigator.locks` is by the tabs of an origin; `requested` lists the names asked for. */
export function createFakeLockManager(): LockManagerLike & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    request(name, task) {
      requested.push(name);
      return withLock(null, `fake-lock:${name}`, task);
    },
  };
}
