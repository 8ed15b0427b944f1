import type { SessionChangeKind__Output, WatchSessionChangesResponse__Output } from '@session/proto';

/** A change that concerns sessions (not RESET or HEARTBEAT), with where and when it was received. */
export interface FeedChange {
  readonly target: string;
  readonly kind: Exclude<
    SessionChangeKind__Output,
    'SESSION_CHANGE_KIND_RESET' | 'SESSION_CHANGE_KIND_HEARTBEAT' | 'SESSION_CHANGE_KIND_UNSPECIFIED'
  >;
  readonly message: WatchSessionChangesResponse__Output;
  readonly receivedAt: number;
}

/** Why a target's view stopped being complete. */
export type FeedDownReason = 'lost' | 'ended' | 'gap' | 'stale' | 'protocol' | 'removed';

export interface FeedEvents {
  /** A session changed on a target. */
  change: [FeedChange];
  /** A target's stream began (RESET): from here on its view is complete. */
  reset: [{ readonly target: string; readonly streamId: string }];
  /** A target's stream is gone or untrustworthy: whatever it would have said since is unknown. */
  down: [{ readonly target: string; readonly reason: FeedDownReason; readonly detail: string }];
}
