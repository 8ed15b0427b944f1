import { structToJson, timestampToDate, type Session__Output } from '@session/proto';

/**
 * What a validation yields, in a compact form: times as epoch milliseconds
 * (numbers are cheaper to keep and compare than Date or Timestamp objects in
 * a cache of 100,000 entries) and user_data as plain JSON.
 */
export interface ValidatedSession {
  readonly sessionId: string;
  /** Empty when the session is anonymous. */
  readonly userId: string;
  /** int64 from the wire, kept as the decimal string proto-loader gives. */
  readonly version: string;
  readonly userData: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastSeenAt: number;
  readonly idleExpiresAt: number;
  readonly absoluteExpiresAt: number;
  // The sign-in fields: optional, so sessions built by hand (specs, the memory measurement) need not list them.
  /** Trusted claims set by back-end callers (BindUser, SetSessionClaims); empty when none. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** 0 while anonymous. */
  readonly authenticatedAt?: number;
  /** Empty while anonymous. */
  readonly authenticationMethod?: string;
  readonly rememberMe?: boolean;
  readonly device?: { readonly userAgent: string; readonly clientAddress: string } | null;
}

/** Epoch milliseconds of a wire timestamp; 0 when unset. */
export const timestampMs = (ts: Parameters<typeof timestampToDate>[0]): number => timestampToDate(ts)?.getTime() ?? 0;

/**
 * One frozen {} shared by every session without user_data or claims: the near cache holds up to
 * 100,000 of these, and most have no claims (anonymous) and many no user_data, so a fresh {} each
 * (56 bytes with V8's preallocated slots) adds up for nothing. Frozen, so no holder can change it for all.
 */
export const EMPTY_JSON: Readonly<Record<string, unknown>> = Object.freeze({});

/** A decoded Struct, or the shared EMPTY_JSON when it has no fields. */
function jsonOf(struct: Session__Output['user_data']): Readonly<Record<string, unknown>> {
  return struct?.fields && Object.keys(struct.fields).length > 0 ? structToJson(struct) : EMPTY_JSON;
}

/** null when the wire device says nothing (both fields empty): an object of two empty strings costs memory and means no device. */
function deviceOf(device: Session__Output['device']): ValidatedSession['device'] {
  if (!device || (!device.user_agent && !device.client_address)) return null;
  return { userAgent: device.user_agent, clientAddress: device.client_address };
}

export function fromProtoSession(session: Session__Output): ValidatedSession {
  return {
    sessionId: session.session_id,
    userId: session.user_id,
    version: session.version,
    userData: jsonOf(session.user_data),
    createdAt: timestampMs(session.created_at),
    updatedAt: timestampMs(session.updated_at),
    lastSeenAt: timestampMs(session.last_seen_at),
    idleExpiresAt: timestampMs(session.idle_expires_at),
    absoluteExpiresAt: timestampMs(session.absolute_expires_at),
    claims: jsonOf(session.claims),
    authenticatedAt: timestampMs(session.authenticated_at),
    authenticationMethod: session.authentication_method ?? '',
    rememberMe: session.remember_me === true,
    device: deviceOf(session.device),
  };
}

/** Versions are int64 decimal strings; compare them without losing precision. */
export function versionAtMost(version: string, than: string): boolean {
  return BigInt(version || '0') <= BigInt(than || '0');
}
