import type { HealthImplementation, ServingStatus } from 'grpc-health-check';
import { within } from '../async/within';
import type { Logger } from '../observability/logger';

export interface DbHealthMonitorOptions {
  /** Services whose status follows the database ("" is the server as a whole). */
  readonly services: readonly string[];
  /** Between pings while the database answers. */
  readonly intervalMs?: number;
  /** Between pings while it does not: short, so service resumes soon after the database is back. */
  readonly retryIntervalMs?: number;
  readonly timeoutMs?: number;
  /**
   * Closes and reconnects the database client. Called once pings have failed for
   * `reconnectAfterMs` in a row, then at every check until it succeeds.
   */
  readonly reconnect?: () => Promise<void>;
  readonly reconnectAfterMs?: number;
  readonly reconnectTimeoutMs?: number;
  /** For tests. */
  readonly now?: () => number;
}

/**
 * Pings the database periodically and mirrors the answer into grpc.health.v1:
 * SERVING only after a ping succeeded, NOT_SERVING while it does not answer.
 * Pings never overlap; each one is bounded by its own timeout.
 *
 * `databaseDown` is the last ping's answer, apart from the advertised status
 * (which also turns NOT_SERVING on shutdown while calls in flight still finish):
 * the repository fails calls at once while it is true instead of letting each
 * wait for the driver to give up.
 *
 * The driver can wedge: a server check it starts while the database shuts down
 * may never finish, and then every operation fails server selection long after
 * the database is back. Pings cannot tell that apart from a database still down,
 * so after `reconnectAfterMs` of failures the client is closed and connected
 * again (a fresh topology), and while that does not succeed it is retried at
 * every check (a client whose connect failed stays closed).
 */
export class DbHealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private status: ServingStatus = 'NOT_SERVING';
  private reachable: boolean | undefined;
  private stopped = false;
  /** When the current run of failed pings began (or the last reconnect, which restarts the wait). */
  private failingSince: number | undefined;
  private reconnectFailed = false;
  private readonly intervalMs: number;
  private readonly retryIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly reconnectAfterMs: number;
  private readonly reconnectTimeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly health: HealthImplementation,
    private readonly logger: Logger,
    private readonly options: DbHealthMonitorOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.retryIntervalMs = options.retryIntervalMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 1_500;
    // Several failed checks (each up to timeoutMs, retryIntervalMs apart), yet short enough that a
    // wedged client is replaced within a few seconds of the database coming back after a brief outage
    // (detection alone can take intervalMs + timeoutMs). Closing a client whose database is down costs
    // nothing: its operations fail anyway, and the reconnect is retried at every check until it works.
    this.reconnectAfterMs = options.reconnectAfterMs ?? 4_000;
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.apply('NOT_SERVING');
  }

  get serving(): boolean {
    return this.status === 'SERVING';
  }

  /** True once a ping failed, until one succeeds; false before the first answer. */
  get databaseDown(): boolean {
    return this.reachable === false;
  }

  /** Runs a first ping at once, then one per interval (the shorter one while the database is down). */
  start(): Promise<void> {
    this.stopped = false;
    return this.check().finally(() => this.schedule());
  }

  /** One ping (or the one already running); resolves once the status reflects it. */
  check(): Promise<void> {
    this.inFlight ??= this.checkOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** For shutdown: NOT_SERVING from now on, so balancers stop sending calls. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.apply('NOT_SERVING');
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => void this.check().finally(() => this.schedule()),
      this.reachable ? this.intervalMs : this.retryIntervalMs,
    );
    this.timer.unref();
  }

  private async checkOnce(): Promise<void> {
    if (this.reconnectDue()) await this.reconnectClient();
    let next: ServingStatus;
    let reason: string | undefined;
    try {
      await within(this.ping(), this.timeoutMs, () => new Error(`no answer within ${this.timeoutMs} ms`));
      next = 'SERVING';
    } catch (err) {
      next = 'NOT_SERVING';
      reason = (err as Error).message;
    }
    if (this.stopped) return;
    this.reachable = next === 'SERVING';
    if (this.reachable) this.failingSince = undefined;
    else this.failingSince ??= this.now();
    if (next !== this.status) {
      if (next === 'SERVING') this.logger.info('database reachable: serving');
      else this.logger.warn({ reason }, 'database unreachable: not serving');
    }
    this.apply(next);
  }

  private reconnectDue(): boolean {
    if (!this.options.reconnect || this.stopped) return false;
    return this.reconnectFailed || (this.failingSince !== undefined && this.now() - this.failingSince >= this.reconnectAfterMs);
  }

  private async reconnectClient(): Promise<void> {
    const retry = this.reconnectFailed;
    if (!retry)
      this.logger.warn(
        { failingForMs: this.now() - (this.failingSince as number) },
        'database pings keep failing: reconnecting the client',
      );
    try {
      await within(
        (this.options.reconnect as () => Promise<void>)(),
        this.reconnectTimeoutMs,
        () => new Error(`reconnect took over ${this.reconnectTimeoutMs} ms`),
      );
      this.reconnectFailed = false;
      this.logger.warn('database client reconnected');
    } catch (err) {
      // Usually the database is still down; logged once per run, retried at every check.
      if (!retry) this.logger.warn({ reason: (err as Error).message }, 'database client reconnect failed; retrying at every check');
      this.reconnectFailed = true;
    }
    this.failingSince = this.now();
  }

  private apply(status: ServingStatus): void {
    this.status = status;
    for (const service of this.options.services) this.health.setStatus(service, status);
  }
}
