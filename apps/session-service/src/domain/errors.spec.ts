import {
  BadRequestError,
  ClaimsTooLargeError,
  InvalidClaimsError,
  ReauthenticationRequiredError,
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

// Each error's domain reason and the sentence a client may read (grpc/error-status-table.spec.ts: what the wire says).
describe('domain errors', () => {
  it.each([
    ['InvalidTokenError', InvalidTokenError, 'invalid_token', 'the session token is malformed'],
    ['SessionNotFoundError', SessionNotFoundError, 'session_not_found', 'no session matches this token'],
    ['SessionExpiredError', SessionExpiredError, 'session_expired', 'the session has expired'],
    ['SessionRevokedError', SessionRevokedError, 'session_revoked', 'the session has been revoked'],
    ['InvalidUserDataError', InvalidUserDataError, 'invalid_user_data', 'user_data is invalid'],
    ['BadRequestError', BadRequestError, 'bad_request', 'the request is invalid'],
    ['VersionConflictError', VersionConflictError, 'version_conflict', 'the session data changed since the expected version'],
    ['SessionIdNotFoundError', SessionIdNotFoundError, 'session_id_not_found', 'no such session'],
    ['ForbiddenError', ForbiddenError, 'forbidden', 'not allowed'],
    ['ServiceUnavailableError', ServiceUnavailableError, 'unavailable', 'the session store is unavailable, retry later'],
    ['DeadlineExceededError', DeadlineExceededError, 'deadline_exceeded', 'the call deadline passed before the work could be done'],
    ['InternalError', InternalError, 'internal', 'internal error'],
    ['InvalidClaimsError', InvalidClaimsError, 'invalid_claims', 'claims are invalid'],
    ['ReauthenticationRequiredError', ReauthenticationRequiredError, 'reauthentication_required', 'a more recent sign-in is required'],
  ] as const)('%s carries its reason, name and default message', (name, Kind, reason, message) => {
    const error = new Kind();
    expect(error).toBeInstanceOf(SessionServiceError);
    expect(error).toBeInstanceOf(Error);
    expect(Kind.name).toBe(name);
    expect(error).toMatchObject({ name, reason, message });
    expect(new Kind('a caller-specific sentence').message).toBe('a caller-specific sentence');
  });

  it('reports a store that did not answer in time as unavailable, under its own name', () => {
    const error = new SessionStoreTimeoutError();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      name: 'SessionStoreTimeoutError',
      reason: 'unavailable',
      message: 'the session store did not answer in time, retry later',
    });
  });

  it('names the limit in a payload_too_large message', () => {
    const error = new PayloadTooLargeError(16_384);
    expect(error).toMatchObject({ name: 'PayloadTooLargeError', reason: 'payload_too_large' });
    expect(error.message).toBe('user_data is larger than 16384 bytes');
  });

  it('names the limit in a claims_too_large message', () => {
    const error = new ClaimsTooLargeError(2_048);
    expect(error).toBeInstanceOf(SessionServiceError);
    expect(error).toMatchObject({ name: 'ClaimsTooLargeError', reason: 'claims_too_large', message: 'claims are larger than 2048 bytes' });
  });

  it('keeps a cause for the logs without showing it in the message', () => {
    const driverError = new Error('connection 3 to 10.0.0.7:27017 closed');
    const error = new ServiceUnavailableError(undefined, { cause: driverError });
    expect(error.message).toBe('the session store is unavailable, retry later');
    expect(error.cause).toBe(driverError);
  });
});
