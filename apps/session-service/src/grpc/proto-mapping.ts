import {
  dateToTimestamp,
  jsonToStruct,
  structToJson,
  type CreateSessionRequest__Output,
  type Device__Output,
  type JsonObject,
  type Session as ProtoSession,
  type ValidateSessionRequest__Output,
} from '@session/proto';
import { BadRequestError, InvalidClaimsError, InvalidUserDataError } from '../domain/errors';
import type { Session } from '../domain/session';
import type { DeviceInput } from '../domain/session-service';

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
    claims: jsonToStruct(session.claims),
    authenticated_at: session.authenticatedAt ? dateToTimestamp(session.authenticatedAt) : null,
    authentication_method: session.authenticationMethod,
    device: session.device ? { user_agent: session.device.userAgent, client_address: session.device.clientAddress } : null,
    remember_me: session.rememberMe,
  };
}

/** Struct -> plain JSON for claims; unset stays null (no claims). */
export function readClaims(struct: CreateSessionRequest__Output['user_data']): JsonObject | null {
  return readStruct(struct, () => new InvalidClaimsError('claims is not a valid JSON object'));
}

export function readDevice(device: Device__Output | null | undefined): DeviceInput | null {
  return device ? { userAgent: device.user_agent, clientAddress: device.client_address } : null;
}

/** google.protobuf.Duration -> milliseconds; unset stays undefined. Negative or malformed is the caller's mistake. */
export function readDurationMs(duration: ValidateSessionRequest__Output['max_authentication_age']): number | undefined {
  if (!duration) return undefined;
  const seconds = Number(duration.seconds);
  const ms = seconds * 1_000 + Math.trunc(duration.nanos / 1_000_000);
  if (!Number.isSafeInteger(seconds) || !Number.isFinite(ms) || ms < 0 || duration.nanos < 0)
    throw new BadRequestError('max_authentication_age must be a non-negative duration');
  return ms;
}

/** Struct -> plain JSON; a value the codec cannot read is the caller's mistake, not ours. */
export function readUserData(struct: CreateSessionRequest__Output['user_data']): JsonObject | null {
  return readStruct(struct, () => new InvalidUserDataError('user_data is not a valid JSON object'));
}

function readStruct(struct: CreateSessionRequest__Output['user_data'], invalid: () => Error): JsonObject | null {
  if (!struct) return null;
  try {
    return structToJson(struct);
  } catch {
    throw invalid();
  }
}

/** int64 arrives as a decimal string; versions are small non-negative integers. */
export function readVersion(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isSafeInteger(version) || version < 0) throw new BadRequestError('expected_version must be a non-negative integer');
  return version;
}
