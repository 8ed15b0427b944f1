import type { SessionServiceConfig } from '@session/config';
import { NO_DEADLINE } from '../domain/call-context';
import type { ChangePublisher } from '../domain/change-publisher';
import type { Clock } from '../domain/clock';
import type { SweepKind, SweepStore } from '../domain/sweep-store';
import type { Logger } from '../observability/logger';

export type SweepCounts = Record<SweepKind, number>;

export interface SweeperSettings {
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly revokedRetentionMs: number;
  readonly orphanTtlMs: number;
  /** Bounds one run: at most this many batches per kind, the rest waits for the next run. */
  readonly maxBatchesPerRun?: number;
  /** Expired sessions are kept this much longer, so a read that just passed its check can still finish. */
  readonly expiredGraceMs?: number;
}

export function sweeperSettings(config: SessionServiceConfig): SweeperSettings {
  return {
    intervalMs: config.sweeper.intervalMs,
    batchSize: config.sweeper.batchSize,
    revokedRetentionMs: config.session.revokedRetentionMs,
    orphanTtlMs: config.session.orphanTtlMs,
  };
}

export interface SweepObserver {
  sessionsSwept(kind: SweepKind, count: number): void;
}

const KINDS: readonly SweepKind[] = ['expired', 'revoked', 'orphan'];

/**
 * After failed runs the wait doubles, up to this many intervals. Why: a run that
 * fails for a lasting reason fails again at once and only costs the database.
 * On FerretDB 1.24 the sweep's queries cannot use an index, and at a million
 * sessions each run scanned until its time limit, a core busy every minute.
 */
const MAX_BACKOFF_INTERVALS = 16;

/**
 * Removes dead sessions in bounded batches (find ids with a limit, then delete
 * those ids under the same rule), whether or not the server has a TTL index.
 * Runs are chained with setTimeout, so they never overlap.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepCounts> | undefined;
  private started = false;
  private failures = 0;
  private readonly maxBatches: number;
  private readonly expiredGraceMs: number;

  constructor(
    private readonly repository: SweepStore,
    private readonly settings: SweeperSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Hears of every deleted session (REMOVED on the change feed). */
    private readonly changes: ChangePublisher,
    private readonly observer?: SweepObserver,
  ) {
    this.maxBatches = settings.maxBatchesPerRun ?? 20;
    this.expiredGraceMs = settings.expiredGraceMs ?? 60_000;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule();
  }

  /** Stops scheduling and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run; a call while another run is in progress joins that run instead of starting a second. */
  runOnce(): Promise<SweepCounts> {
    this.running ??= this.sweep().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs = this.settings.intervalMs): void {
    this.timer = setTimeout(() => {
      this.runOnce()
        .then(
          () => {
            this.failures = 0;
          },
          (err: unknown) => {
            this.failures++;
            this.logger.warn({ err, retryInMs: this.nextDelayMs() }, 'sweep failed; retrying after a backoff');
          },
        )
        .finally(() => {
          if (this.started) this.schedule(this.nextDelayMs());
        });
    }, delayMs);
    this.timer.unref();
  }

  private nextDelayMs(): number {
    return this.settings.intervalMs * Math.min(2 ** this.failures, MAX_BACKOFF_INTERVALS);
  }

  private async sweep(): Promise<SweepCounts> {
    const now = this.clock.now().getTime();
    const cutoffs: Record<SweepKind, Date> = {
      expired: new Date(now - this.expiredGraceMs),
      revoked: new Date(now - this.settings.revokedRetentionMs),
      orphan: new Date(now - this.settings.orphanTtlMs),
    };
    const counts: SweepCounts = { expired: 0, revoked: 0, orphan: 0 };
    for (const kind of KINDS) {
      for (let batch = 0; batch < this.maxBatches; batch++) {
        const ids = await this.repository.findSweepableIds(kind, cutoffs[kind], this.settings.batchSize, NO_DEADLINE);
        if (ids.length === 0) break;
        const deleted = await this.repository.deleteSweepable(kind, cutoffs[kind], ids, NO_DEADLINE);
        for (const sessionId of deleted) this.changes.publish({ kind: 'removed', sessionId });
        counts[kind] += deleted.length;
        this.observer?.sessionsSwept(kind, deleted.length);
        if (ids.length < this.settings.batchSize) break;
      }
    }
    if (counts.expired + counts.revoked + counts.orphan > 0) this.logger.info({ swept: counts }, 'sessions swept');
    return counts;
  }
}
