import type { JsonObject } from '@session/proto';
import { NOT_SIGNED_IN, type SessionRecord } from '../domain/session';

/** The stored shape of collection `user_sessions` (snake_case, as the original schema). */
export interface SessionDocument {
  _id: string;
  session_id: string;
  secret_hash: string;
  user_id: string | null;
  user_data: JsonObject;
  version: number;
  created_at: Date;
  updated_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  /** The fields below came with sign-in; documents written before it lack them (read as their defaults). */
  claims?: JsonObject;
  authenticated_at?: Date | null;
  authentication_method?: string;
  device?: { user_agent: string; client_address: string } | null;
  remember_me?: boolean;
  /**
   * Set (to the creation time) only on an anonymous session nobody has used since it was
   * created; the first write that records a use removes it. The orphan rule sweeps on it.
   */
  unused_since?: Date;
}

export function toDocument(record: SessionRecord): SessionDocument {
  return {
    _id: record.sessionId,
    session_id: record.sessionId,
    secret_hash: record.secretHash,
    user_id: record.userId,
    user_data: record.userData,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    last_seen_at: record.lastSeenAt,
    idle_expires_at: record.idleExpiresAt,
    absolute_expires_at: record.absoluteExpiresAt,
    expires_at: record.expiresAt,
    revoked_at: record.revokedAt,
    claims: record.claims,
    authenticated_at: record.authenticatedAt,
    authentication_method: record.authenticationMethod,
    device: record.device ? { user_agent: record.device.userAgent, client_address: record.device.clientAddress } : null,
    remember_me: record.rememberMe,
  };
}

/** The document of a session just minted: an anonymous one starts out unused. */
export function toNewDocument(record: SessionRecord): SessionDocument {
  const doc = toDocument(record);
  return record.userId === null ? { ...doc, unused_since: record.createdAt } : doc;
}

export function fromDocument(doc: SessionDocument): SessionRecord {
  return {
    sessionId: doc.session_id,
    secretHash: doc.secret_hash,
    userId: doc.user_id,
    userData: doc.user_data,
    version: doc.version,
    createdAt: doc.created_at,
    updatedAt: doc.updated_at,
    lastSeenAt: doc.last_seen_at,
    idleExpiresAt: doc.idle_expires_at,
    absoluteExpiresAt: doc.absolute_expires_at,
    expiresAt: doc.expires_at,
    revokedAt: doc.revoked_at,
    claims: doc.claims ?? NOT_SIGNED_IN.claims,
    authenticatedAt: doc.authenticated_at ?? NOT_SIGNED_IN.authenticatedAt,
    authenticationMethod: doc.authentication_method ?? NOT_SIGNED_IN.authenticationMethod,
    device: doc.device ? { userAgent: doc.device.user_agent, clientAddress: doc.device.client_address } : NOT_SIGNED_IN.device,
    rememberMe: doc.remember_me ?? NOT_SIGNED_IN.rememberMe,
  };
}
