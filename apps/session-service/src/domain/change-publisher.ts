/**
 * A change the service made to a session that can affect what a cached validation says (see
 * docs/edge-validation.md). Ids, versions and times only: a token or a secret hash never goes in.
 */
export type SessionChange =
  | { readonly kind: 'extended'; readonly sessionId: string; readonly userId: string | null; readonly idleExpiresAt: Date }
  | { readonly kind: 'updated'; readonly sessionId: string; readonly userId: string | null; readonly version: number }
  | { readonly kind: 'rotated'; readonly sessionId: string; readonly userId: string; readonly version: number }
  | { readonly kind: 'revoked'; readonly sessionId: string; readonly userId: string | null }
  | { readonly kind: 'user_revoked'; readonly userId: string; readonly exceptSessionId: string | null }
  | { readonly kind: 'removed'; readonly sessionId: string };

export type SessionChangeKindName = SessionChange['kind'];

/**
 * Where the rules report their writes (a port: feed/change-bus.ts implements it). Called after the
 * store acknowledged a write and before the call answers, so a subscriber hears of a change no
 * later than the caller that made it. Must not throw or wait: it is on every write's path.
 */
export interface ChangePublisher {
  publish(change: SessionChange): void;
}

/** For wiring without a feed (some specs, tools): changes go nowhere. */
export const NO_CHANGE_FEED: ChangePublisher = Object.freeze({ publish: () => undefined });
