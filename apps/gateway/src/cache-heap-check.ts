/**
 * Heap one near-cache entry may take, with room to spare: about 0.7 KiB measured for a session with
 * 200 bytes of user_data (docs/edge-validation.md), so a full cache of larger sessions still fits.
 */
export const HEAP_BYTES_PER_ENTRY = 1_536;

/** Share of V8's heap ceiling a full cache may take; the rest is the gateway's own working set and garbage. */
const CACHE_SHARE = 0.5;

/**
 * Why the gateway cannot run with this cache size under this heap ceiling, or undefined when it can.
 * A cache larger than the heap does not fail at start but hours later, when it fills, with an
 * out-of-memory crash; refusing at start names the two settings to change instead
 * (docs/runtime-memory.md).
 */
export function cacheHeapProblem(cache: { enabled: boolean; maxEntries: number }, heapLimitBytes: number): string | undefined {
  if (!cache.enabled) return undefined;
  const needed = cache.maxEntries * HEAP_BYTES_PER_ENTRY;
  if (needed <= heapLimitBytes * CACHE_SHARE) return undefined;
  const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20);
  return (
    `SESSION_CACHE_MAX_ENTRIES: ${cache.maxEntries} entries may need about ${mib(needed)} MiB of heap, more than half of this ` +
    `process's ${mib(heapLimitBytes)} MiB ceiling; lower SESSION_CACHE_MAX_ENTRIES or raise node's --max-old-space-size ` +
    `to at least ${mib(needed / CACHE_SHARE)} (docs/runtime-memory.md)`
  );
}
