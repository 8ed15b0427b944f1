import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };
// One polling helper for the whole repository: the fault suites measure with the shared one.
export { timeUntil } from '@session/testing';

/** Whether a child process is still running (no exit code, no terminating signal). */
export function isRunning(child: { exitCode: number | null; signalCode: NodeJS.Signals | null }): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** One line of measured figures per scenario, so a run's log carries them. */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  console.log(`fault figures ${scenario} ${JSON.stringify(figures)}`);
}
