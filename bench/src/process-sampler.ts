import { readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks; 100 per second on every common kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;

function read(pid: number, file: 'status' | 'stat'): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    // The process may have exited between samples; a missing sample is neither a peak nor CPU time.
    return '';
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(read(pid, 'status'));
  return m ? Number(m[1]) : 0;
}

/** The resident set now, in MiB (0 when the process is gone). */
export function rssMb(pid: number): number {
  return statusKb(pid, 'VmRSS') / 1024;
}

/** User + system CPU seconds so far (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
function cpuSeconds(pid: number): number {
  const stat = read(pid, 'stat');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / CLOCK_TICKS_PER_SECOND;
}

export interface ProcessUsage {
  /** Highest VmRSS seen by the 200 ms sampler, in MiB. */
  sampledPeakMb: number;
  /** Kernel high-water mark (VmHWM) at the end, in MiB: the lifetime peak, start-up included. */
  hwmMb: number;
  /** CPU seconds the process used between start and stop of the sampling. */
  cpuS: number;
}

/** Samples the resident set of some processes every `intervalMs`, and their CPU time, until `stop()`. */
export function sampleProcesses(pids: Record<string, number>, intervalMs = 200): { stop(): Record<string, ProcessUsage> } {
  const names = Object.keys(pids);
  const peakKb: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  const cpuAtStart = Object.fromEntries(names.map((name) => [name, cpuSeconds(pids[name])]));
  const sample = () => {
    for (const name of names) peakKb[name] = Math.max(peakKb[name], statusKb(pids[name], 'VmRSS'));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(
        names.map((name) => [
          name,
          {
            sampledPeakMb: peakKb[name] / 1024,
            hwmMb: statusKb(pids[name], 'VmHWM') / 1024,
            cpuS: cpuSeconds(pids[name]) - cpuAtStart[name],
          },
        ]),
      );
    },
  };
}
