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
