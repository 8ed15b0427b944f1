import type { JsonObject } from '@session/proto';
import type { CallContext } from './call-context';
import type { Device } from './device';
import type { ExpiryTimes } from './expiry';
import type { PageCursor } from './page-token';
import type { Session, SessionRecord } from './session';

export interface DataChange {
  /** The record as read for this change; the write replaces it whole. */
  readonly base: SessionRecord;
  readonly userData: JsonObject;
  readonly now: Date;
  readonly expiry: ExpiryTimes;
}

export interface UserBinding {
  readonly userId: string;
  readonly secretHash: string;
  /** The bind's time: written as updated, last seen and authenticated at. */
  readonly now: Date;
  readonly expiry: ExpiryTimes;
  readonly claims: JsonObject;
  readonly authenticationMethod: string;
  /** Null keeps the device the session already has. */
  readonly device: Device | null;
  readonly rememberMe: boolean;
}

export interface ClaimsChange {
  /** The record as read for this change; the write replaces it whole. */
  readonly base: SessionRecord;
  readonly claims: JsonObject;
  readonly now: Date;
}

export interface PageRequest {
  /** How many sessions at most. */
  readonly limit: number;
  /** Start after this session of the listing order; the first page without. */
  readonly after?: PageCursor;
  /** Without, user_data is not even read from the database (listed sessions carry `{}`). */
  readonly withUserData: boolean;
}

/** A session whose idle expiry a batched touch moved. */
export interface ExtendedSession {
  readonly sessionId: string;
  readonly userId: string | null;
  readonly idleExpiresAt: Date;
}

export interface SessionPage {
  readonly sessions: Session[];
  /** True when sessions follow the last one listed. */
  readonly more: boolean;
}

/**
 * The storage the session rules need (a port: db/session-repository.ts implements it). Every write
 * is conditional and never creates a document, so a revoked or removed session cannot come back
 * through a write that was in flight. Each call fails with a domain error: ServiceUnavailableError
 * (store down or not answering in time), DeadlineExceededError (the call's time was up before the
 * store was asked), InternalError (the store refused the operation).
 */
export interface SessionStore {
  insert(record: SessionRecord, ctx: CallContext): Promise<void>;
  /** Admin lookups by public id; token checks use findByToken. */
  findById(sessionId: string, ctx: CallContext): Promise<SessionRecord | null>;
  /** The session whose id and secret hash both match; null for an unknown id and a wrong secret alike. */
  findByToken(sessionId: string, secretHash: string, ctx: CallContext): Promise<SessionRecord | null>;
  /**
   * Slides the idle expiry of a live session. With `onlyIfLastSeenBefore`, only a session not
   * written since then is touched, so concurrent validations of one session write once. Null when nothing matched.
   */
  extendIdleExpiry(
    sessionId: string,
    now: Date,
    expiry: ExpiryTimes,
    onlyIfLastSeenBefore: Date | undefined,
    ctx: CallContext,
  ): Promise<SessionRecord | null>;
  /**
   * The batched form for sessions served from caches: of `sessionIds`, every live one (not revoked,
   * not expired at `now`) last written at or before `onlyIfLastSeenBefore` gets last_seen_at = now,
   * the given idle expiry, and an overall expiry capped by its own absolute one. Returns exactly the
   * sessions that moved, in few store calls whatever their number.
   */
  extendDueIdleExpiries(
    sessionIds: readonly string[],
    now: Date,
    idleExpiresAt: Date,
    onlyIfLastSeenBefore: Date,
    ctx: CallContext,
  ): Promise<ExtendedSession[]>;
  /** Writes new user_data if the session is still at `expectedVersion` and not revoked; null otherwise. */
  writeDataIfVersion(sessionId: string, expectedVersion: number, change: DataChange, ctx: CallContext): Promise<SessionRecord | null>;
  /**
   * Sets the user, the new secret hash and the sign-in's details (claims, method, device, remember
   * me, expiry) if neither the version nor the old hash moved since `base` was read, and the session
   * is not revoked; null otherwise. The version moves by one.
   */
  bindUserIfUnchanged(base: SessionRecord, binding: UserBinding, ctx: CallContext): Promise<SessionRecord | null>;
  /** Replaces the claims if the session is still at the base's version and not revoked; the version moves by one. Null otherwise. */
  writeClaimsIfVersion(change: ClaimsChange, ctx: CallContext): Promise<SessionRecord | null>;
  /** True when this call revoked the session; false when it was already revoked or is gone. */
  markRevoked(sessionId: string, now: Date, ctx: CallContext): Promise<boolean>;
  /** One page of a user's live sessions, newest first, without secret hashes. */
  findLiveByUser(userId: string, now: Date, page: PageRequest, ctx: CallContext): Promise<SessionPage>;
  /** The ids of a user's live sessions, most recently seen first (last_seen_at, then id, both descending). */
  findLiveIdsByUser(userId: string, now: Date, ctx: CallContext): Promise<string[]>;
}
