import { dateToTimestamp, type SessionChangeKind, type WatchSessionChangesResponse } from '@session/proto';
import type { SessionChange, SessionChangeKindName } from '../domain/change-publisher';
import type { PublishedChange } from '../feed/change-bus';

/** A feed message before its stream stamps stream_id and sequence on it. */
export type UnstampedMessage = Omit<WatchSessionChangesResponse, 'stream_id' | 'sequence'>;

const KINDS: Record<SessionChangeKindName, SessionChangeKind> = {
  extended: 'SESSION_CHANGE_KIND_EXTENDED',
  updated: 'SESSION_CHANGE_KIND_UPDATED',
  rotated: 'SESSION_CHANGE_KIND_ROTATED',
  revoked: 'SESSION_CHANGE_KIND_REVOKED',
  user_revoked: 'SESSION_CHANGE_KIND_USER_REVOKED',
  removed: 'SESSION_CHANGE_KIND_REMOVED',
};

/** The fields of one change; field by field, so nothing else a change might carry can leak. */
function fields(change: SessionChange): UnstampedMessage {
  switch (change.kind) {
    case 'extended':
      return { session_id: change.sessionId, user_id: change.userId ?? '', idle_expires_at: dateToTimestamp(change.idleExpiresAt) };
    case 'updated':
    case 'rotated':
      return { session_id: change.sessionId, user_id: change.userId ?? '', version: change.version };
    case 'revoked':
      return { session_id: change.sessionId, user_id: change.userId ?? '' };
    case 'user_revoked':
      return { user_id: change.userId, except_session_id: change.exceptSessionId ?? '' };
    case 'removed':
      return { session_id: change.sessionId };
  }
}

const encoded = new WeakMap<PublishedChange, UnstampedMessage>();

/** The proto message of a published change, built once however many streams send it. */
export function encodeChange(event: PublishedChange): UnstampedMessage {
  let message = encoded.get(event);
  if (!message) {
    message = { ...fields(event.change), kind: KINDS[event.change.kind], changed_at: dateToTimestamp(event.changedAt) };
    encoded.set(event, message);
  }
  return message;
}

export function resetMessage(): UnstampedMessage {
  return { kind: 'SESSION_CHANGE_KIND_RESET', changed_at: dateToTimestamp(new Date()) };
}

export function heartbeatMessage(): UnstampedMessage {
  return { kind: 'SESSION_CHANGE_KIND_HEARTBEAT', changed_at: dateToTimestamp(new Date()) };
}
