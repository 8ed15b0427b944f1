import { status } from '@grpc/grpc-js';
import {
  BadRequestError,
  DeadlineExceededError,
  ForbiddenError,
  InternalError,
  InvalidTokenError,
  InvalidUserDataError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  SessionExpiredError,
  SessionIdNotFoundError,
  SessionNotFoundError,
  SessionRevokedError,
  SessionServiceError,
  SessionStoreTimeoutError,
  VersionConflictError,
} from './errors';

// The error contract between the services: status, x-error-code, and the sentence a client may read.
describe('domain errors', () => {
  it.each([
    ['InvalidTokenError', InvalidTokenError, status.UNAUTHENTICATED, 'invalid_token', 'the session token is malformed'],
    ['SessionNotFoundError', SessionNotFoundError, status.UNAUTHENTICATED, 'session_not_found', 'no session matches this token'],
    ['SessionExpiredError', SessionExpiredError, status.UNAUTHENTICATED, 'session_expired', 'the session has expired'],
    ['SessionRevokedError', SessionRevokedError, status.UNAUTHENTICATED, 'session_revoked', 'the session has been revoked'],
    ['InvalidUserDataError', InvalidUserDataError, status.INVALID_ARGUMENT, 'invalid_user_data', 'user_data is invalid'],
    ['BadRequestError', BadRequestError, status.INVALID_ARGUMENT, 'bad_request', 'the request is invalid'],
    ['VersionConflictError', VersionConflictError, status.ABORTED, 'version_conflict', 'the session data changed since the expected version'],
    ['SessionIdNotFoundError', SessionIdNotFoundError, status.NOT_FOUND, 'session_not_found', 'no such session'],
    ['ForbiddenError', ForbiddenError, status.PERMISSION_DENIED, 'forbidden', 'not allowed'],
    ['ServiceUnavailableError', ServiceUnavailableError, status.UNAVAILABLE, 'session_service_unavailable', 'the session store is unavailable, retry later'],
    ['DeadlineExceededError', DeadlineExceededError, status.DEADLINE_EXCEEDED, 'timeout', 'the call deadline passed before the work could be done'],
    ['InternalError', InternalError, status.INTERNAL, 'internal', 'internal error'],
  ] as const)('%s carries its status, code, name and default message', (name, Kind, grpcStatus, errorCode, message) => {
    const error = new Kind();
    expect(error).toBeInstanceOf(SessionServiceError);
    expect(error).toBeInstanceOf(Error);
    expect(Kind.name).toBe(name);
    expect(error).toMatchObject({ name, grpcStatus, errorCode, message });
    expect(new Kind('a caller-specific sentence').message).toBe('a caller-specific sentence');
  });

  it('reports a store that did not answer in time as unavailable, under its own name', () => {
    const error = new SessionStoreTimeoutError();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      name: 'SessionStoreTimeoutError',
      grpcStatus: status.UNAVAILABLE,
      errorCode: 'session_service_unavailable',
      message: 'the session store did not answer in time, retry later',
    });
  });

  it('names the limit in a payload_too_large message', () => {
    const error = new PayloadTooLargeError(16_384);
    expect(error).toMatchObject({ name: 'PayloadTooLargeError', grpcStatus: status.INVALID_ARGUMENT, errorCode: 'payload_too_large' });
    expect(error.message).toBe('user_data is larger than 16384 bytes');
  });
});
