/** What every use case and adapter gets about the call it serves. */
export interface CallContext {
  /** The caller's x-request-id (or a fresh one), for log lines. */
  readonly requestId: string;
  /** Epoch ms by which the work must be done (the caller's deadline less an answer margin); Infinity without one. */
  readonly deadline: number;
}

/** Milliseconds left for work, at least 1 (a zero timeout means "none" to several APIs). */
export function remainingMs(ctx: CallContext, cap: number): number {
  return Math.max(1, Math.min(cap, ctx.deadline - Date.now()));
}
