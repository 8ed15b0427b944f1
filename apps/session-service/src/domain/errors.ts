/**
 * Why a call failed, in the domain's words. The transports map a reason to their own answer
 * (grpc/error-status-table.ts: gRPC status and `x-error-code`); the domain knows neither.
 */
export type SessionErrorReason =
  | 'invalid_token'
  | 'session_not_found'
  | 'session_expired'
  | 'session_revoked'
  | 'invalid_user_data'
  | 'invalid_claims'
  | 'claims_too_large'
  | 'reauthentication_required'
  | 'payload_too_large'
  | 'bad_request'
  | 'version_conflict'
  | 'session_id_not_found'
  | 'forbidden'
  | 'unavailable'
  | 'deadline_exceeded'
  | 'internal';

/**
 * Base of every error the service means to report; the unary wrapper is the one place that turns
 * them into gRPC errors. Messages are short and never hold a token; a `cause` (a driver error) is
 * for the logs only.
 */
export abstract class SessionServiceError extends Error {
  abstract readonly reason: SessionErrorReason;
}

/** Declares one kind of error: its reason, and the message it carries unless given another. */
function errorKind(name: string, reason: SessionErrorReason, defaultMessage: string) {
  return class extends SessionServiceError {
    override readonly name = name;
    readonly reason = reason;
    constructor(message: string = defaultMessage, options?: ErrorOptions) {
      super(message, options);
    }
  };
}

export class InvalidTokenError extends errorKind('InvalidTokenError', 'invalid_token', 'the session token is malformed') {}
/** Unknown id and wrong secret share this error on purpose: a caller cannot probe which ids exist. */
export class SessionNotFoundError extends errorKind('SessionNotFoundError', 'session_not_found', 'no session matches this token') {}
export class SessionExpiredError extends errorKind('SessionExpiredError', 'session_expired', 'the session has expired') {}
export class SessionRevokedError extends errorKind('SessionRevokedError', 'session_revoked', 'the session has been revoked') {}
export class InvalidUserDataError extends errorKind('InvalidUserDataError', 'invalid_user_data', 'user_data is invalid') {}
/** Its own reason so the gateway can answer 413. */
export class PayloadTooLargeError extends errorKind('PayloadTooLargeError', 'payload_too_large', 'user_data is too large') {
  constructor(maxBytes: number) {
    super(`user_data is larger than ${maxBytes} bytes`);
  }
}
export class InvalidClaimsError extends errorKind('InvalidClaimsError', 'invalid_claims', 'claims are invalid') {}
export class ClaimsTooLargeError extends errorKind('ClaimsTooLargeError', 'claims_too_large', 'claims are too large') {
  constructor(maxBytes: number) {
    super(`claims are larger than ${maxBytes} bytes`);
  }
}
/** The caller asked for a recent sign-in (max_authentication_age) and this session has none. */
export class ReauthenticationRequiredError extends errorKind(
  'ReauthenticationRequiredError',
  'reauthentication_required',
  'a more recent sign-in is required',
) {}
export class BadRequestError extends errorKind('BadRequestError', 'bad_request', 'the request is invalid') {}
export class VersionConflictError extends errorKind(
  'VersionConflictError',
  'version_conflict',
  'the session data changed since the expected version',
) {}
/** For lookups by public id (GetSession, RevokeSession by id), where the caller is trusted. */
export class SessionIdNotFoundError extends errorKind('SessionIdNotFoundError', 'session_id_not_found', 'no such session') {}
export class ForbiddenError extends errorKind('ForbiddenError', 'forbidden', 'not allowed') {}
export class ServiceUnavailableError extends errorKind(
  'ServiceUnavailableError',
  'unavailable',
  'the session store is unavailable, retry later',
) {}
export class DeadlineExceededError extends errorKind(
  'DeadlineExceededError',
  'deadline_exceeded',
  'the call deadline passed before the work could be done',
) {}
export class InternalError extends errorKind('InternalError', 'internal', 'internal error') {}

/** The database did not answer within the caller's time: to the caller the same as its being down. */
export class SessionStoreTimeoutError extends ServiceUnavailableError {
  override readonly name = 'SessionStoreTimeoutError';
  constructor() {
    super('the session store did not answer in time, retry later');
  }
}
