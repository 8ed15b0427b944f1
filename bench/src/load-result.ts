import type { LatencySummary } from './latency-recorder';

/** What every loader reports, whatever it drives (HTTP, gRPC, the bare driver). */
export interface LoadResult {
  /** Successful operations (2xx for HTTP). */
  ok: number;
  /** Failed operations: transport errors, timeouts, non-2xx, rejected calls. */
  errors: number;
  durationS: number;
  /** ok / durationS. */
  perSecond: number;
  latency: LatencySummary;
  /** The first failure seen, to explain a non-zero error count. */
  firstError?: string;
  /** CPU seconds the loader process itself used for this job. */
  loaderCpuS?: number;
  /** Open loop only: the most operations in flight at once (queued ones included). */
  mostInFlight?: number;
  /** Open loop only: the safety cap on operations in flight was hit, so the phase failed. */
  capHit?: boolean;
  /** Open loop only: operations still in flight when the drain period ended (counted as errors). */
  unfinished?: number;
}

/**
 * How a loader paces itself: as fast as `concurrency` allows (closed loop), or
 * at a fixed offered rate (open loop: `concurrency` does not bound it).
 */
export interface Pacing {
  concurrency: number;
  durationS: number;
  /** Operations per second offered (open loop); unset means saturation (closed loop). */
  ratePerSecond?: number;
  /** Open loop: the safety cap on operations in flight (default: open-loop-schedule's safetyCap). */
  maxInFlight?: number;
  /** Saturation: stop after this many operations (e.g. one pass over a token list), or at durationS. */
  total?: number;
  /** Open loop: seconds to wait for operations still in flight after the schedule ended (default max(5, durationS)). */
  drainS?: number;
}
