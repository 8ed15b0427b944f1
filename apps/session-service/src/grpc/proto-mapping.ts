import { dateToTimestamp, jsonToStruct, structToJson, type CreateSessionRequest__Output, type JsonObject, type Session as ProtoSession } from '@session/proto';
import { BadRequestError, InvalidUserDataError } from '../domain/errors';
import type { Session } from '../domain/session';

/** With `withUserData` false (listed sessions unless asked), user_data is left unset. */
export function toProtoSession(session: Session, withUserData = true): ProtoSession {
  return {
    session_id: session.sessionId,
    user_id: session.userId ?? '',
    user_data: withUserData ? jsonToStruct(session.userData) : null,
    version: session.version,
    created_at: dateToTimestamp(session.createdAt),
    updated_at: dateToTimestamp(session.updatedAt),
    last_seen_at: dateToTimestamp(session.lastSeenAt),
    idle_expires_at: dateToTimestamp(session.idleExpiresAt),
    absolute_expires_at: dateToTimestamp(session.absoluteExpiresAt),
    revoked_at: session.revokedAt ? dateToTimestamp(session.revokedAt) : null,
  };
}

/** Struct -> plain JSON; a value the codec cannot read is the caller's mistake, not ours. */
export function readUserData(struct: CreateSessionRequest__Output['user_data']): JsonObject | null {
  if (!struct) return null;
  try {
    return structToJson(struct);
  } catch {
    throw new InvalidUserDataError('user_data is not a valid JSON object');
  }
}

/** int64 arrives as a decimal string; versions are small non-negative integers. */
export function readVersion(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isSafeInteger(version) || version < 0) throw new BadRequestError('expected_version must be a non-negative integer');
  return version;
}
