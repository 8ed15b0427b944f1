import type { SessionDto, UserData } from '@session/rest-contract';
import type { AccountActions } from './account-actions';
import type { SessionApiError } from './session-api-error';
import type { MergePatch } from './session-rest-client';

/**
 * - `loading`: not yet confirmed by the server (a restored snapshot may already show);
 * - `active`: the server accepted the session at the last call;
 * - `expired`: the local countdown reached zero; a replacement is fetched as soon as the tab is visible;
 * - `ended`: the user ended the session here or in another tab; `refresh()` starts a new one;
 * - `error`: the server could not be reached or failed; `error` says why, `refresh()` retries.
 */
export type SessionStatus = 'loading' | 'active' | 'expired' | 'ended' | 'error';

/** What the session controller shows; a new object only when something in it changed. */
export interface SessionState {
  session: SessionDto | null;
  status: SessionStatus;
  /** The last failure (also of writes, which keep `status`); cleared by the next success. */
  error: SessionApiError | null;
  /** Until the earlier of idle and absolute expiry, corrected for the server's clock; null without a session. */
  timeLeftMs: number | null;
}

export interface SessionActions extends AccountActions {
  /** JSON merge patch of `user_data` with `If-Match`; one refetch-and-reapply on conflict. */
  updateData(patch: MergePatch): Promise<SessionDto>;
  /** Replaces `user_data` with `If-Match`; one refetch-and-reapply on conflict. */
  replaceData(data: UserData): Promise<SessionDto>;
  /** Logs out in every tab of the origin; the next load (or `refresh()`) starts a new session. */
  endSession(): Promise<void>;
  /** Validates a live-looking session with the server; creates a new one when it is ended, expired or refused. */
  refresh(): Promise<SessionDto>;
  /** Extends the idle expiry. */
  touch(): Promise<SessionDto>;
}
