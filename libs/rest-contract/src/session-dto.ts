/**
 * JSON value allowed inside `user_data`. The one definition for the whole repository: this lib is
 * browser code and may not import the Node-only proto lib, so @session/proto imports it from here.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
export type UserData = { [key: string]: JsonValue };

/**
 * A session as the REST API shows it: the proto's fields, snake_case, times
 * as ISO 8601 strings. Never carries the token or any secret.
 */
export interface SessionDto {
  session_id: string;
  /** null while the session is anonymous. */
  user_id: string | null;
  user_data: UserData;
  version: number;
  created_at: string;
  updated_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  /** The earlier of the idle and absolute expiry. */
  expires_at: string;
  revoked_at: string | null;
  /** Trusted claims (roles and the like) set by back-end services; read-only on REST, `{}` when none. */
  claims: JsonObject;
  /** When the user last proved who they are; null while anonymous. */
  authenticated_at: string | null;
  /** How (e.g. `password`); empty while anonymous. */
  authentication_method: string;
  /** Signed in with "remember me": the cookie outlives the browser. */
  remember_me: boolean;
  /** Where the session was created or last signed in, as the gateway saw it. */
  device: DeviceDto | null;
}

/** User agent and client address (the service may store the address truncated). */
export interface DeviceDto {
  user_agent: string;
  client_address: string;
}

/** `POST /api/sessions` answer. The token is also set as an HttpOnly cookie for browsers. */
export interface CreateSessionResponseDto {
  token: string;
  session: SessionDto;
}

export interface SessionResponseDto {
  session: SessionDto;
}

/** A session as a list shows it: without user_data, which may be large (read the session itself for it), nor claims. */
export type SessionSummaryDto = Omit<SessionDto, 'user_data' | 'claims'> & {
  /** True for the session the request was made with. */
  current: boolean;
};

/** `GET /api/sessions` answer: one page, newest first. */
export interface SessionListResponseDto {
  sessions: SessionSummaryDto[];
  /** Send it back as `page_token` for the next page; null on the last page. */
  next_page_token: string | null;
}

export interface CreateSessionRequestDto {
  user_data?: UserData;
}

/** Body of PUT (replace); PATCH takes a bare JSON merge patch object as its body. */
export interface ReplaceDataRequestDto {
  user_data: UserData;
}

/** `POST /api/accounts` and `POST /api/sessions/current/sign-in`. */
export interface SignInRequestDto {
  email: string;
  password: string;
  /** Without it the cookie ends with the browser and the session gets the shorter signed-in lifetime. */
  remember_me?: boolean;
}

/** `POST /api/accounts/current/password` (204 on success; the user's other sessions end). */
export interface ChangePasswordRequestDto {
  current_password: string;
  new_password: string;
}

/** `DELETE /api/sessions?scope=others` answer. */
export interface RevokeOtherSessionsResponseDto {
  revoked_count: number;
}
