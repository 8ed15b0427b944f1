import { rssMb } from './process-sampler';

/** The node flags that make a process's RSS readable after a full GC (see memory-gc-hook.ts). */
export function gcHookNodeArgs(benchDir: string = __dirname): string[] {
  return ['--expose-gc', '--require', `${benchDir}/memory-gc-hook.js`];
}

/** True once the last `window` samples lie within `toleranceMb` of each other. */
export function isSettled(samplesMb: readonly number[], window: number, toleranceMb: number): boolean {
  if (samplesMb.length < window) return false;
  const last = samplesMb.slice(-window);
  return Math.max(...last) - Math.min(...last) <= toleranceMb;
}

export interface SettledRss {
  mb: number;
  /** False when the RSS still moved at the time-out; `mb` is then the last sample. */
  settled: boolean;
}

/**
 * Asks the process for a full GC (SIGWINCH, handled by memory-gc-hook.ts; ignored by a process without it) and
 * waits until its RSS stops moving (V8 returns freed pages to the system a
 * little after the collection), bounded by `timeoutMs`.
 */
export async function settledRssMb(
  pid: number,
  { intervalMs = 200, window = 5, toleranceMb = 0.5, timeoutMs = 15_000 } = {},
): Promise<SettledRss> {
  process.kill(pid, 'SIGWINCH');
  const samples: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const mb = rssMb(pid);
    if (mb === 0) throw new Error(`process ${pid} exited while its RSS was read after a GC`);
    samples.push(mb);
    if (isSettled(samples, window, toleranceMb)) return { mb: samples[samples.length - 1], settled: true };
  }
  return { mb: samples[samples.length - 1] ?? rssMb(pid), settled: false };
}
