import type { RefreshOutcome } from './metrics';

export interface RefreshAheadOptions {
  /**
   * Background revalidations in flight at most. When entries filled together come due together, the
   * excess is skipped rather than queued, so the service sees at most this many extra calls at a time;
   * the skipped entries are still served and a later hit tries again.
   */
  readonly maxInFlight: number;
  readonly onOutcome: (outcome: RefreshOutcome) => void;
}

/** gRPC status codes with which ValidateSession says the token is not valid (the gateway answers 401 / 404 for them). */
const REFUSALS: ReadonlySet<number> = new Set([16 /* UNAUTHENTICATED */, 5 /* NOT_FOUND */]);

/** Whether a validation failed because the session is not valid (revoked, expired, unknown), rather than for want of an answer. */
export function isRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && REFUSALS.has(code);
}

/**
 * Single-flight, capped background tasks, one per cache key at a time. A
 * task never rejects into the caller (a hit must not fail because its
 * refresh did); its outcome goes to the metric.
 */
export class RefreshAhead {
  private readonly running = new Set<string>();

  constructor(private readonly options: RefreshAheadOptions) {}

  get inFlight(): number {
    return this.running.size;
  }

  /** Starts `task` for `key` unless one is already running for it; counts a skip when the cap is reached. */
  trigger(key: string, task: () => Promise<RefreshOutcome>): void {
    if (this.running.has(key)) return;
    if (this.running.size >= this.options.maxInFlight) {
      this.options.onOutcome('skipped');
      return;
    }
    this.running.add(key);
    // Started synchronously (the task takes its fill ticket at the hit itself); a synchronous throw becomes a rejection.
    new Promise<RefreshOutcome>((resolve) => resolve(task()))
      .catch((): RefreshOutcome => 'failed')
      .then((outcome) => {
        this.running.delete(key);
        this.options.onOutcome(outcome);
      });
  }
}
