import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '@session/testing';

export { sleep };
// One polling helper for the whole repository: the fault suites measure with the shared one.
export { timeUntil } from '@session/testing';

/**
 * Waits until a load stream has recorded `count` answers to requests started
 * at or after `from`: "the load ran" is then a fact the scenario saw, not a
 * guessed duration of it. The tests judge those answers afterwards.
 */
export function answersSince(
  stream: { readonly outcomes: readonly { readonly startedAt: number }[] },
  count: number,
  from = 0,
): Promise<true> {
  const answered = () => stream.outcomes.reduce((n, o) => n + (o.startedAt >= from ? 1 : 0), 0);
  return waitUntil(() => answered() >= count, {
    what: `${count} answers to requests started at or after ${new Date(from).toISOString()}`,
    timeoutMs: 15_000,
  });
}

/** Whether a child process is still running (no exit code, no terminating signal). */
export function isRunning(child: { exitCode: number | null; signalCode: NodeJS.Signals | null }): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** One line of measured figures per scenario, so a run's log carries them. */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  console.log(`fault figures ${scenario} ${JSON.stringify(figures)}`);
}
