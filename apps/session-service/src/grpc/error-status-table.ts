import { status } from '@grpc/grpc-js';
import type { ProblemCode } from '@session/rest-contract';
import type { SessionErrorReason } from '../domain/errors';

export interface GrpcErrorMapping {
  readonly status: status;
  /** Sent as the `x-error-code` trailer: the gateway answers with it as the problem's `code`. */
  readonly code: ProblemCode;
}

const { UNAUTHENTICATED, INVALID_ARGUMENT } = status;

/**
 * Every domain reason and its gRPC answer, in one typed table (a new reason does not compile until
 * it is mapped). The gateway's errors/grpc-status-table.ts continues the chain from gRPC to HTTP.
 */
export const GRPC_ERROR_MAPPING: { readonly [R in SessionErrorReason]: GrpcErrorMapping } = {
  invalid_token: { status: UNAUTHENTICATED, code: 'invalid_token' },
  session_not_found: { status: UNAUTHENTICATED, code: 'session_not_found' },
  session_expired: { status: UNAUTHENTICATED, code: 'session_expired' },
  session_revoked: { status: UNAUTHENTICATED, code: 'session_revoked' },
  invalid_user_data: { status: INVALID_ARGUMENT, code: 'invalid_user_data' },
  // Claims come from back-end callers only: no code of their own on REST, the details say what.
  invalid_claims: { status: INVALID_ARGUMENT, code: 'bad_request' },
  claims_too_large: { status: INVALID_ARGUMENT, code: 'payload_too_large' },
  // A session that is fine but not signed in recently enough: not UNAUTHENTICATED (the token is good).
  reauthentication_required: { status: status.FAILED_PRECONDITION, code: 'reauthentication_required' },
  payload_too_large: { status: INVALID_ARGUMENT, code: 'payload_too_large' },
  bad_request: { status: INVALID_ARGUMENT, code: 'bad_request' },
  version_conflict: { status: status.ABORTED, code: 'version_conflict' },
  // A trusted caller asked for an id: NOT_FOUND, where a token that matches nothing is UNAUTHENTICATED.
  session_id_not_found: { status: status.NOT_FOUND, code: 'session_not_found' },
  forbidden: { status: status.PERMISSION_DENIED, code: 'forbidden' },
  unavailable: { status: status.UNAVAILABLE, code: 'session_service_unavailable' },
  deadline_exceeded: { status: status.DEADLINE_EXCEEDED, code: 'timeout' },
  internal: { status: status.INTERNAL, code: 'internal' },
};
