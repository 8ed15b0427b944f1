/**
 * Per-call facts the domain passes down to storage: who asked (for logs) and by when the work must
 * be done. Required on every store call, so a forgotten deadline is a type error, not a call that
 * waits forever.
 */
export interface CallContext {
  readonly requestId: string;
  /**
   * Epoch milliseconds by which the work must be finished: the caller's deadline less the time the
   * transport keeps back to deliver the answer (the unary wrapper sets it). Infinity without one.
   * The repository checks it before each database call and bounds the call by it.
   */
  readonly deadline: number;
}

/** For work nobody waits on (index builds, the sweeper): each operation is still capped by the repository. */
export const NO_DEADLINE: CallContext = Object.freeze({ requestId: 'internal', deadline: Infinity });
