import { readFileSync } from 'node:fs';

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    // The process may have exited between samples; a missing sample is not a peak.
    return 0;
  }
}

export interface MemoryPeak {
  /** Highest VmRSS seen by the 200 ms sampler, in MiB. */
  sampledPeakMb: number;
  /** Kernel high-water mark (VmHWM) at the end, in MiB: the lifetime peak, start-up included. */
  hwmMb: number;
}

/** Samples the resident set of some processes every `intervalMs` until `stop()`. */
export function sampleMemory(pids: Record<string, number>, intervalMs = 200): { stop(): Record<string, MemoryPeak> } {
  const peakKb: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peakKb[name] = Math.max(peakKb[name], statusKb(pid, 'VmRSS'));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, { sampledPeakMb: peakKb[name] / 1024, hwmMb: statusKb(pid, 'VmHWM') / 1024 }]),
      );
    },
  };
}
