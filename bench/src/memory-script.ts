import type { BenchStack } from './bench-stack';
import { createLiveSessions, type LiveSessions } from './seed-sessions';
import { startStackStoppedOnTermination } from './stop-on-termination';

/**
 * The frame of a stand-alone memory measurement (cache-memory-main, young-gen-memory):
 * a bench stack with `liveSessions` minted, stopped at the end, on a signal or on an error
 * (which exits 1 with its stack trace).
 */
export function runMemoryScript(liveSessions: number, body: (stack: BenchStack, live: LiveSessions) => Promise<void>): void {
  const run = async () => {
    // The stack's own gateway idles; each script starts the gateways it measures.
    const stack = await startStackStoppedOnTermination();
    try {
      await body(stack, await createLiveSessions(stack.service.address, liveSessions));
    } finally {
      await stack.stop();
    }
  };
  run().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
