/** A full, synchronous GC; only with node --expose-gc, which a heap figure needs to mean anything. */
export function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc: heap figures without a full GC before each reading are noise');
  // Twice: the first pass may leave objects whose finalization frees more for the second.
  gc();
  gc();
}

export interface Retained {
  /** heapUsed after minus before, both right after a full GC, while the created values are still held. */
  bytes: number;
  heapBefore: number;
  heapAfter: number;
}

/** Creates `count` values one after another (awaited in turn) and measures the heap they keep alive. */
export async function measureRetained<T>(count: number, create: () => T | Promise<T>): Promise<Retained> {
  // Allocated and filled before the first reading, so the array's own slots are not counted.
  const values = Array.from({ length: count }, () => undefined as T);
  fullGc();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) values[i] = await create();
  fullGc();
  const heapAfter = process.memoryUsage().heapUsed;
  // Read after the second GC, so they were alive then; not returned, so they die with this call.
  if (values.length !== count) throw new Error('lost values');
  return { bytes: heapAfter - heapBefore, heapBefore, heapAfter };
}
