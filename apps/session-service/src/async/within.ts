/**
 * Settles as `work` does, or rejects with `timeoutError()` once `ms` pass first. `work` is not
 * cancelled: it finishes or fails on its own, and its late failure stays handled (the race has
 * subscribed to it), so it never becomes an unhandled rejection.
 */
export async function within<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
