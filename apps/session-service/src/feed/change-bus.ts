import { randomUUID } from 'node:crypto';
import type { ChangePublisher, SessionChange, SessionChangeKindName } from '../domain/change-publisher';

/** A change as published: stamped once, whatever the number of subscribers. */
export interface PublishedChange {
  readonly change: SessionChange;
  /** When this replica made it (subscribers measure their lag from it). */
  readonly changedAt: Date;
}

/** One subscriber of the bus (a WatchSessionChanges stream). Both methods must return at once and not throw. */
export interface ChangeListener {
  onChange(event: PublishedChange): void;
  /** The bus is closing (shutdown): the listener ends its stream. */
  onClose(): void;
}

export interface FeedObserver {
  feedSubscribers(count: number): void;
  feedChangePublished(kind: SessionChangeKindName): void;
}

/**
 * This replica's change feed: the domain publishes each acknowledged write here, synchronously, and
 * every subscribed stream gets it in publication order. In-process only, because FerretDB has no
 * change streams: each replica publishes its own writes and subscribers attach to every replica.
 * `streamId` names this process's lifetime; a subscriber that sees a new one starts over.
 */
export class ChangeBus implements ChangePublisher {
  readonly streamId = randomUUID();
  private readonly listeners = new Set<ChangeListener>();
  private closed = false;

  constructor(
    private readonly observer?: FeedObserver,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get subscriberCount(): number {
    return this.listeners.size;
  }

  publish(change: SessionChange): void {
    this.observer?.feedChangePublished(change.kind);
    if (this.listeners.size === 0) return;
    const event: PublishedChange = { change, changedAt: this.now() };
    for (const listener of this.listeners) listener.onChange(event);
  }

  /** Adds a listener; false once the bus is closed (the caller ends its stream itself). */
  subscribe(listener: ChangeListener): boolean {
    if (this.closed) return false;
    this.listeners.add(listener);
    this.observer?.feedSubscribers(this.listeners.size);
    return true;
  }

  unsubscribe(listener: ChangeListener): void {
    if (this.listeners.delete(listener)) this.observer?.feedSubscribers(this.listeners.size);
  }

  /** Shutdown: every listener is told to end its stream, and no new one is taken. */
  close(): void {
    this.closed = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    this.observer?.feedSubscribers(0);
    for (const listener of listeners) listener.onClose();
  }
}
