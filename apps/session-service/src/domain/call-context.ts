import { DeadlineExceededError } from './errors';

/** Per-call facts the domain needs: who asked (for logs) and until when the caller waits. */
export interface CallContext {
  readonly requestId: string;
  /** Epoch milliseconds; Infinity when the caller set no deadline. */
  readonly deadline: number;
}

export const NO_DEADLINE: CallContext = Object.freeze({ requestId: 'internal', deadline: Infinity });

/** Called before each database step: work for a caller that has given up is wasted load. */
export function assertBeforeDeadline(ctx: CallContext): void {
  if (Date.now() >= ctx.deadline) throw new DeadlineExceededError();
}

/**
 * The caller's remaining time less what is kept back to deliver the answer: `marginMs`, at most a
 * fifth of what remains. Infinity without a deadline; negative once it has passed.
 */
export function timeLeftMs(deadline: number, now: number, marginMs: number): number {
  const remaining = deadline - now;
  return remaining - Math.min(marginMs, remaining / 5);
}
