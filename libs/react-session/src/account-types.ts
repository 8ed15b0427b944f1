import type { JsonObject, SessionDto, SessionSummaryDto } from '@session/rest-contract';

/**
 * The account side of the REST contract as the browser reads it (the agreed
 * design's table). Fields the sign-in work added to sessions are optional
 * here: a gateway from before it simply does not send them.
 */
export interface Credentials {
  email: string;
  password: string;
  /** Keep the cookie across browser restarts; without it the cookie ends with the browser. */
  rememberMe?: boolean;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** Where a session is used, as the gateway saw it (the address may be truncated by the service). */
export interface DeviceDto {
  user_agent: string;
  client_address: string;
}

/** The fields sign-in brings to a session. `claims` are trusted and read-only, and never stored in the browser. */
export interface SignedInFields {
  claims?: JsonObject | null;
  authenticated_at?: string | null;
  authentication_method?: string;
  remember_me?: boolean;
  device?: DeviceDto | null;
}

export type AccountSessionDto = SessionDto & SignedInFields;

/** One entry of `GET /api/sessions`: a session of the signed-in user, `current` for the one making the call. */
export type DeviceSessionDto = SessionSummaryDto & SignedInFields & { current?: boolean };

/** Password length per the agreed design (NIST SP 800-63B-4): counted in code points after NFKC. */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;

export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}
