/**
 * Stops whatever a spec started, newest first, whatever state a failed test
 * left it in: every step runs even when an earlier one throws.
 */
export class Teardown {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const steps = this.steps.splice(0).reverse();
    for (const step of steps) await step().catch(() => undefined);
  }
}

/**
 * SIGSTOP / SIGCONT a child: a frozen process keeps its sockets open but
 * answers nothing, which holds calls in flight for as long as a test needs.
 */
export function freeze(pid: number | undefined): void {
  if (pid !== undefined) process.kill(pid, 'SIGSTOP');
}

export function thaw(pid: number | undefined): void {
  // A process that already exited has nothing to resume.
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone already
    }
  }
}
