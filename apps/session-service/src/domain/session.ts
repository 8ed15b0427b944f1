import type { JsonObject } from '@session/proto';
import type { Device } from './device';

/** A session as the domain sees it: never carries the secret or its hash. */
export interface Session {
  readonly sessionId: string;
  readonly userId: string | null;
  readonly userData: JsonObject;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastSeenAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  /** The earlier of the idle and absolute expiry. */
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** Trusted claims set by back-end callers (BindUser, SetSessionClaims); `{}` when none. */
  readonly claims: JsonObject;
  /** When and how the user last proved who they are (BindUser); null while anonymous. */
  readonly authenticatedAt: Date | null;
  readonly authenticationMethod: string;
  /** As captured at creation or the last bind; null when none was given. */
  readonly device: Device | null;
  readonly rememberMe: boolean;
}

/** What the repository stores and returns for token checks: the session plus the hash of its secret. */
export interface SessionRecord extends Session {
  readonly secretHash: string;
}

/** The sign-in fields of a session nobody has signed in to (a new one, or one stored before sign-in existed). */
export const NOT_SIGNED_IN = Object.freeze({
  claims: {},
  authenticatedAt: null,
  authenticationMethod: '',
  device: null,
  rememberMe: false,
} as const);

export type UpdateMode = 'merge' | 'replace';

/** The session without its secret hash, for everything that leaves the service. */
export function withoutSecret(record: SessionRecord): Session {
  // Copied field by field: `delete` would push every validated session into slow dictionary mode.
  return {
    sessionId: record.sessionId,
    userId: record.userId,
    userData: record.userData,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastSeenAt: record.lastSeenAt,
    idleExpiresAt: record.idleExpiresAt,
    absoluteExpiresAt: record.absoluteExpiresAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    claims: record.claims,
    authenticatedAt: record.authenticatedAt,
    authenticationMethod: record.authenticationMethod,
    device: record.device,
    rememberMe: record.rememberMe,
  };
}
