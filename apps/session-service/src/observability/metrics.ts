import { RpcMetrics } from '@session/grpc-server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionChangeKindName } from '../domain/change-publisher';
import type { SweepKind } from '../domain/sweep-store';
import type { FeedObserver } from '../feed/change-bus';
import type { DbObserver } from './db-observer';

const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Every metric of the service on its own registry (tests build several).
 * Labelled children are cached so the hot path does no label lookups.
 */
export class ServiceMetrics implements DbObserver, FeedObserver {
  readonly registry = new Registry();
  private readonly rpcs = new RpcMetrics(this.registry, SECONDS_BUCKETS);
  private readonly created = new Counter({ name: 'sessions_created_total', help: 'Sessions minted', registers: [this.registry] });
  private readonly validated = new Counter({
    name: 'sessions_validated_total',
    help: 'Successful validations',
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'sessions_rejected_total',
    help: 'Tokens refused, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly revoked = new Counter({ name: 'sessions_revoked_total', help: 'Sessions revoked', registers: [this.registry] });
  private readonly swept = new Counter({
    name: 'sessions_swept_total',
    help: 'Sessions removed by the sweeper, by rule',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly dbDuration = new Histogram({
    name: 'db_operation_seconds',
    help: 'Database operation time',
    labelNames: ['operation'],
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly feedSubscriberCount = new Gauge({
    name: 'session_feed_subscribers',
    help: 'Open WatchSessionChanges streams',
    registers: [this.registry],
  });
  private readonly feedPublished = new Counter({
    name: 'session_feed_events_published_total',
    help: 'Changes published on the feed, by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly feedOverflows = new Counter({
    name: 'session_feed_stream_overflows_total',
    help: 'Feed streams ended because the subscriber fell behind',
    registers: [this.registry],
  });
  private readonly children = new Map<string, { inc(): void } | { observe(v: number): void }>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  rpcHandled(method: string, code: string, seconds: number): void {
    this.rpcs.rpcHandled(method, code, seconds);
  }

  sessionCreated(): void {
    this.created.inc();
  }

  sessionValidated(): void {
    this.validated.inc();
  }

  sessionRejected(reason: string): void {
    this.child(`r|${reason}`, () => this.rejected.labels(reason)).inc();
  }

  sessionsRevoked(count: number): void {
    if (count > 0) this.revoked.inc(count);
  }

  sessionsSwept(kind: SweepKind, count: number): void {
    if (count > 0) this.swept.labels(kind).inc(count);
  }

  feedSubscribers(count: number): void {
    this.feedSubscriberCount.set(count);
  }

  feedChangePublished(kind: SessionChangeKindName): void {
    this.child(`f|${kind}`, () => this.feedPublished.labels(kind)).inc();
  }

  feedStreamOverflowed(): void {
    this.feedOverflows.inc();
  }

  observeDbOperation(operation: string, seconds: number): void {
    this.child(`db|${operation}`, () => this.dbDuration.labels(operation)).observe(seconds);
  }

  private child<T extends object>(key: string, make: () => T): T {
    let found = this.children.get(key) as T | undefined;
    if (!found) {
      found = make();
      this.children.set(key, found as never);
    }
    return found;
  }
}
