import { status } from '@grpc/grpc-js';
import * as errors from '../domain/errors';
import { GRPC_ERROR_MAPPING } from './error-status-table';
import { toGrpcError } from './unary-wrapper';

// The error contract between the services: each domain error's gRPC status and x-error-code.
describe('gRPC answer of each domain error', () => {
  it.each([
    [new errors.InvalidTokenError(), status.UNAUTHENTICATED, 'invalid_token'],
    [new errors.SessionNotFoundError(), status.UNAUTHENTICATED, 'session_not_found'],
    [new errors.SessionExpiredError(), status.UNAUTHENTICATED, 'session_expired'],
    [new errors.SessionRevokedError(), status.UNAUTHENTICATED, 'session_revoked'],
    [new errors.InvalidUserDataError(), status.INVALID_ARGUMENT, 'invalid_user_data'],
    [new errors.PayloadTooLargeError(10), status.INVALID_ARGUMENT, 'payload_too_large'],
    [new errors.BadRequestError(), status.INVALID_ARGUMENT, 'bad_request'],
    [new errors.VersionConflictError(), status.ABORTED, 'version_conflict'],
    [new errors.SessionIdNotFoundError(), status.NOT_FOUND, 'session_not_found'],
    [new errors.ForbiddenError(), status.PERMISSION_DENIED, 'forbidden'],
    [new errors.ServiceUnavailableError(), status.UNAVAILABLE, 'session_service_unavailable'],
    [new errors.SessionStoreTimeoutError(), status.UNAVAILABLE, 'session_service_unavailable'],
    [new errors.DeadlineExceededError(), status.DEADLINE_EXCEEDED, 'timeout'],
    [new errors.InternalError(), status.INTERNAL, 'internal'],
  ] as const)('%s -> status %s, x-error-code %s', (error, code, errorCode) => {
    expect(GRPC_ERROR_MAPPING[error.reason]).toEqual({ status: code, code: errorCode });
    const answer = toGrpcError(error);
    expect(answer).toMatchObject({ code, details: error.message });
    expect(answer.metadata?.get('x-error-code')).toEqual([errorCode]);
  });

  it('never puts a cause on the wire', () => {
    const answer = toGrpcError(new errors.InternalError(undefined, { cause: new Error('E11000 duplicate key: secret_hash') }));
    expect(answer.details).toBe('internal error');
    expect(JSON.stringify(answer.metadata?.getMap())).not.toContain('E11000');
  });
});
