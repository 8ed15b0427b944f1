import { cacheHeapProblem, HEAP_BYTES_PER_ENTRY } from './cache-heap-check';

const MiB = 2 ** 20;

describe('cacheHeapProblem', () => {
  it('accepts the default 100,000 entries under the 512 MiB ceiling the gateway runs with', () => {
    expect(cacheHeapProblem({ enabled: true, maxEntries: 100_000 }, 512 * MiB + 48 * MiB)).toBeUndefined();
  });

  it('refuses a cache that could take more than half the heap ceiling, naming both settings and the size needed', () => {
    const problem = cacheHeapProblem({ enabled: true, maxEntries: 1_000_000 }, 560 * MiB);
    expect(problem).toMatch(
      /^SESSION_CACHE_MAX_ENTRIES: 1000000 entries may need about 1465 MiB of heap, more than half of this process's 560 MiB ceiling/,
    );
    expect(problem).toContain('--max-old-space-size to at least 2930');
  });

  it('draws the line at exactly half the ceiling', () => {
    const limit = 2 * 10_000 * HEAP_BYTES_PER_ENTRY;
    expect(cacheHeapProblem({ enabled: true, maxEntries: 10_000 }, limit)).toBeUndefined();
    expect(cacheHeapProblem({ enabled: true, maxEntries: 10_001 }, limit)).toBeDefined();
  });

  it('has nothing to say when the cache is off', () => {
    expect(cacheHeapProblem({ enabled: false, maxEntries: 10_000_000 }, 64 * MiB)).toBeUndefined();
  });
});
