import type { HealthImplementation, ServingStatus } from 'grpc-health-check';
import type { Logger } from '../observability/logger';

export interface DbHealthMonitorOptions {
  /** Services whose status follows the database ("" is the server as a whole). */
  readonly services: readonly string[];
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
}

/**
 * Pings the database periodically and mirrors the answer into grpc.health.v1:
 * SERVING only after a ping succeeded, NOT_SERVING while it does not answer.
 * Pings never overlap; each one is bounded by its own timeout.
 */
export class DbHealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private status: ServingStatus = 'NOT_SERVING';
  private stopped = false;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly health: HealthImplementation,
    private readonly logger: Logger,
    private readonly options: DbHealthMonitorOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.timeoutMs = options.timeoutMs ?? 1_500;
    this.apply('NOT_SERVING');
  }

  get serving(): boolean {
    return this.status === 'SERVING';
  }

  /** Runs a first ping at once, then one per interval. */
  start(): Promise<void> {
    this.stopped = false;
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
    return this.check();
  }

  /** One ping (or the one already running); resolves once the status reflects it. */
  check(): Promise<void> {
    this.inFlight ??= this.pingOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** For shutdown: NOT_SERVING from now on, so balancers stop sending calls. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.apply('NOT_SERVING');
  }

  private async pingOnce(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    let next: ServingStatus;
    let reason: string | undefined;
    try {
      await Promise.race([this.ping(), timeout]);
      next = 'SERVING';
    } catch (err) {
      next = 'NOT_SERVING';
      reason = (err as Error).message;
    } finally {
      clearTimeout(timer);
    }
    if (this.stopped) return;
    if (next !== this.status) {
      if (next === 'SERVING') this.logger.info('database reachable: serving');
      else this.logger.warn({ reason }, 'database unreachable: not serving');
    }
    this.apply(next);
  }

  private apply(status: ServingStatus): void {
    this.status = status;
    for (const service of this.options.services) this.health.setStatus(service, status);
  }
}
