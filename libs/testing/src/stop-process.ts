import { readdirSync, readFileSync } from 'node:fs';
import { waitUntil } from './wait-until';

/** Every thread of `pid` is in state T (stopped), read from /proc. */
function allThreadsStopped(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).every((tid) => {
    // The state is the field after the parenthesised command name, which may itself contain spaces.
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  });
}

/**
 * SIGSTOP that has taken effect. kill() returns before the signal is acted on: a process running on
 * the other core goes on for a moment and may still read and answer a request sent right after
 * (a frozen-database spec saw its first call succeed), so wait until every thread is stopped.
 */
export async function stopProcess(pid: number, timeoutMs = 2_000): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  await waitUntil(() => allThreadsStopped(pid), { what: `process ${pid} to stop`, timeoutMs, intervalMs: 1 });
}
