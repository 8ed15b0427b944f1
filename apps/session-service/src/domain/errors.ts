import { status } from '@grpc/grpc-js';
import type { ProblemCode } from '@session/rest-contract';

/**
 * Base of every error the service means to report. Each kind carries its gRPC
 * status and the stable `x-error-code`; the unary wrapper is the one place
 * that turns them into gRPC errors. Messages are short and never hold a token.
 */
export abstract class SessionServiceError extends Error {
  abstract readonly grpcStatus: status;
  abstract readonly errorCode: ProblemCode;
}

/** Declares one kind of error: its status, its code, and the message it carries unless given another. */
function errorKind(name: string, grpcStatus: status, errorCode: ProblemCode, defaultMessage: string) {
  return class extends SessionServiceError {
    override readonly name = name;
    readonly grpcStatus = grpcStatus;
    readonly errorCode = errorCode;
    constructor(message: string = defaultMessage) {
      super(message);
    }
  };
}

const { UNAUTHENTICATED, INVALID_ARGUMENT } = status;

export class InvalidTokenError extends errorKind('InvalidTokenError', UNAUTHENTICATED, 'invalid_token', 'the session token is malformed') {}
/** Unknown id and wrong secret share this error on purpose: a caller cannot probe which ids exist. */
export class SessionNotFoundError extends errorKind('SessionNotFoundError', UNAUTHENTICATED, 'session_not_found', 'no session matches this token') {}
export class SessionExpiredError extends errorKind('SessionExpiredError', UNAUTHENTICATED, 'session_expired', 'the session has expired') {}
export class SessionRevokedError extends errorKind('SessionRevokedError', UNAUTHENTICATED, 'session_revoked', 'the session has been revoked') {}
export class InvalidUserDataError extends errorKind('InvalidUserDataError', INVALID_ARGUMENT, 'invalid_user_data', 'user_data is invalid') {}
/** A distinct code so the gateway can answer 413. */
export class PayloadTooLargeError extends errorKind('PayloadTooLargeError', INVALID_ARGUMENT, 'payload_too_large', 'user_data is too large') {
  constructor(maxBytes: number) {
    super(`user_data is larger than ${maxBytes} bytes`);
  }
}
export class BadRequestError extends errorKind('BadRequestError', INVALID_ARGUMENT, 'bad_request', 'the request is invalid') {}
export class VersionConflictError extends errorKind('VersionConflictError', status.ABORTED, 'version_conflict', 'the session data changed since the expected version') {}
/** For lookups by public id (GetSession, RevokeSession by id), where the caller is trusted. */
export class SessionIdNotFoundError extends errorKind('SessionIdNotFoundError', status.NOT_FOUND, 'session_not_found', 'no such session') {}
export class ForbiddenError extends errorKind('ForbiddenError', status.PERMISSION_DENIED, 'forbidden', 'not allowed') {}
export class ServiceUnavailableError extends errorKind('ServiceUnavailableError', status.UNAVAILABLE, 'session_service_unavailable', 'the session store is unavailable, retry later') {}
export class DeadlineExceededError extends errorKind('DeadlineExceededError', status.DEADLINE_EXCEEDED, 'timeout', 'the call deadline passed before the work could be done') {}
export class InternalError extends errorKind('InternalError', status.INTERNAL, 'internal', 'internal error') {}

/** The database did not answer within the caller's time: to the caller the same as its being down. */
export class SessionStoreTimeoutError extends ServiceUnavailableError {
  override readonly name = 'SessionStoreTimeoutError';
  constructor() {
    super('the session store did not answer in time, retry later');
  }
}
