/** The part of the Web Locks API used here; `navigator.locks` fits, and tests pass a fake. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Name of the lock every tab of the origin takes before creating a session. */
export const CREATE_LOCK_NAME = 'session.create.v1';

/** `navigator.locks` when the browser has it (all current ones do; old Safari and insecure origins do not). */
export function defaultLockManager(): LockManagerLike | null {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks || typeof locks.request !== 'function') return null;
  // lib.dom types an async callback's result as Promise<Promise<T>>; the API resolves it to T.
  return { request: <T>(name: string, callback: () => Promise<T>) => locks.request(name, () => callback()) as unknown as Promise<T> };
}

const localQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` holding the named lock. Without Web Locks the fallback only
 * serialises callers inside this tab: two tabs opened in the same instant
 * may then each create a session, the last cookie set wins, and the snapshot
 * sync plus the next validation bring both tabs onto it.
 */
export function withLock<T>(locks: LockManagerLike | null, name: string, task: () => Promise<T>): Promise<T> {
  if (locks) return locks.request(name, task);
  const previous = localQueues.get(name) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  localQueues.set(name, tail);
  void tail.then(() => {
    if (localQueues.get(name) === tail) localQueues.delete(name);
  });
  return run;
}
