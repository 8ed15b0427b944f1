import { structToJson, timestampToDate, type Session__Output } from '@session/proto';
import type { SessionDto } from '@session/rest-contract';

const iso = (date: Date | null): string => (date ?? new Date(0)).toISOString();

/** The proto Session as the REST API shows it (snake_case, ISO times, null for "unset"). */
export function toSessionDto(session: Session__Output | null | undefined): SessionDto {
  if (!session) throw new Error('the session service answered without a session');
  const idle = timestampToDate(session.idle_expires_at);
  const absolute = timestampToDate(session.absolute_expires_at);
  const revoked = timestampToDate(session.revoked_at);
  const expires = idle && absolute && absolute < idle ? absolute : (idle ?? absolute);
  return {
    session_id: session.session_id,
    user_id: session.user_id || null,
    user_data: structToJson(session.user_data),
    version: Number(session.version),
    created_at: iso(timestampToDate(session.created_at)),
    updated_at: iso(timestampToDate(session.updated_at)),
    last_seen_at: iso(timestampToDate(session.last_seen_at)),
    idle_expires_at: iso(idle),
    absolute_expires_at: iso(absolute),
    expires_at: iso(expires),
    revoked_at: revoked ? revoked.toISOString() : null,
    claims: structToJson(session.claims),
    authenticated_at: timestampToDate(session.authenticated_at)?.toISOString() ?? null,
    authentication_method: session.authentication_method,
    remember_me: session.remember_me,
    device: session.device ? { user_agent: session.device.user_agent, client_address: session.device.client_address } : null,
  };
}
