import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** What is awaited, in words: the timeout message names it, so a failure says what never happened. */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Polls `condition` (sync or async) until it returns a truthy value and
 * resolves with that value. A condition that throws counts as "not yet"
 * (a port not listening, a page not served), and its last error is named in
 * the timeout message, so a spec waits on the thing itself rather than on a
 * guessed number of milliseconds.
 */
export async function waitUntil<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = 10_000, intervalMs = 20 }: WaitOptions,
): Promise<Truthy<T>> {
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started >= timeoutMs) {
      const cause = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * The milliseconds until `check` holds, or null when it never did within
 * `timeoutMs`: fault scenarios record what never happened as a figure and
 * let their tests say which property that breaks.
 */
export async function timeUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number | null> {
  const started = Date.now();
  try {
    await waitUntil(check, { what: 'a measured condition', timeoutMs, intervalMs });
    return Date.now() - started;
  } catch {
    return null;
  }
}
