import type { ValidatedSession } from '@session/session-client';
import type { JsonObject, SessionDto } from '@session/rest-contract';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A validated session (from the near cache or a miss) as the REST API shows
 * it: the same shape toSessionDto gives for the service's answer. It is
 * valid, so never revoked.
 */
export function validatedSessionDto(session: ValidatedSession): SessionDto {
  return {
    session_id: session.sessionId,
    user_id: session.userId || null,
    user_data: session.userData as SessionDto['user_data'],
    version: Number(session.version),
    created_at: iso(session.createdAt),
    updated_at: iso(session.updatedAt),
    last_seen_at: iso(session.lastSeenAt),
    idle_expires_at: iso(session.idleExpiresAt),
    absolute_expires_at: iso(session.absoluteExpiresAt),
    expires_at: iso(Math.min(session.idleExpiresAt, session.absoluteExpiresAt)),
    revoked_at: null,
    claims: (session.claims ?? {}) as JsonObject,
    authenticated_at: session.authenticatedAt ? iso(session.authenticatedAt) : null,
    authentication_method: session.authenticationMethod ?? '',
    remember_me: session.rememberMe === true,
    device: session.device ? { user_agent: session.device.userAgent, client_address: session.device.clientAddress } : null,
  };
}
