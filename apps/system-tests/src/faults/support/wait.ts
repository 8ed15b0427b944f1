import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * Polls `check` until it returns true and resolves with the milliseconds it
 * took, or null after `timeoutMs`: scenarios record what never happened and
 * let the tests say which property that breaks.
 */
export async function timeUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(intervalMs);
  }
  return null;
}

/** Whether a child process is still running (no exit code, no terminating signal). */
export function isRunning(child: { exitCode: number | null; signalCode: NodeJS.Signals | null }): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** One line of measured figures per scenario, so a run's log carries them. */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  console.log(`fault figures ${scenario} ${JSON.stringify(figures)}`);
}
