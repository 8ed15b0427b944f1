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
}

/** How a loader paces itself: as fast as `concurrency` allows, or at a fixed offered rate. */
export interface Pacing {
  concurrency: number;
  durationS: number;
  /** Operations per second offered (open loop); unset means saturation (closed loop). */
  ratePerSecond?: number;
}
