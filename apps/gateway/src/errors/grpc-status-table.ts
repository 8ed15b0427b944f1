import { status } from '@grpc/grpc-js';
import type { ProblemCode } from '@session/rest-contract';

export interface HttpMapping {
  readonly status: number;
  /** Used when the service sent no (or no recognised) `x-error-code` trailer. */
  readonly code: ProblemCode;
  /**
   * Applies instead when no recognised `x-error-code` came with the status: the status was then
   * raised by the transport (grpc-js, a proxy), not by the service, and means something else.
   */
  readonly fromTransport?: TransportMapping;
}

export interface TransportMapping extends Omit<HttpMapping, 'fromTransport'> {
  /** Applies only when the status's details match: the transport raises the same status for unrelated faults. */
  readonly when?: RegExp;
}

const INTERNAL: HttpMapping = { status: 500, code: 'internal' };

/**
 * grpc-js's wording when the HTTP/2 stream or the whole connection under a call was cut: INTERNAL
 * "Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code
 * 2" (or another RST_STREAM code), CANCELLED "Call cancelled" (the peer reset the stream; our own
 * cancel says "Cancelled on client"). Under overload the session service's HTTP/2 server closes the
 * connection with GOAWAY INTERNAL_ERROR once the gateway has reset about a thousand streams in a burst
 * (each call past its deadline is reset: nghttp2's rapid-reset limit, docs/gateway-edge.md), and every
 * call still on it fails so. The channel reconnects by itself, so the call may be retried, like
 * UNAVAILABLE. These statuses for anything else (a message that does not parse or serialise) stay 500.
 */
const STREAM_CUT = /RST_STREAM|Session closed with error code|^Call cancelled$/;
const CUT_BY_TRANSPORT: TransportMapping = { status: 503, code: 'session_service_unavailable', when: STREAM_CUT };

/**
 * gRPC status -> HTTP, after google/rpc/code.proto as docs/contracts.md#grpc-status-to-http narrows it
 * (codes it does not name are 500). A Record over the enum makes the table
 * exhaustive: a status added to grpc-js fails the type check until mapped.
 */
export const GRPC_TO_HTTP: Readonly<Record<status, HttpMapping>> = Object.freeze({
  [status.OK]: INTERNAL, // an error object never carries OK; if one does, it is our bug
  [status.CANCELLED]: { ...INTERNAL, fromTransport: CUT_BY_TRANSPORT },
  [status.UNKNOWN]: INTERNAL,
  [status.INVALID_ARGUMENT]: { status: 400, code: 'bad_request' },
  [status.DEADLINE_EXCEEDED]: { status: 504, code: 'timeout' },
  [status.NOT_FOUND]: { status: 404, code: 'not_found' },
  // No "conflict" code exists in the contract; a duplicate is a state conflict like a version clash.
  [status.ALREADY_EXISTS]: { status: 409, code: 'version_conflict' },
  [status.PERMISSION_DENIED]: { status: 403, code: 'forbidden' },
  // From the service (it sets x-error-code on its own errors): a limit the client hit, 429. From grpc-js:
  // a message over the size limit between the two services, which no client retry can cure, 502.
  [status.RESOURCE_EXHAUSTED]: { status: 429, code: 'rate_limited', fromTransport: { status: 502, code: 'internal' } },
  [status.FAILED_PRECONDITION]: { status: 400, code: 'bad_request' },
  [status.ABORTED]: { status: 409, code: 'version_conflict' },
  [status.OUT_OF_RANGE]: INTERNAL,
  [status.UNIMPLEMENTED]: INTERNAL,
  // From the service (x-error-code internal): its bug, 500. From the transport: see STREAM_CUT.
  [status.INTERNAL]: { ...INTERNAL, fromTransport: CUT_BY_TRANSPORT },
  [status.UNAVAILABLE]: { status: 503, code: 'session_service_unavailable' },
  [status.DATA_LOSS]: INTERNAL,
  [status.UNAUTHENTICATED]: { status: 401, code: 'unauthenticated' },
});

/**
 * The few service codes whose HTTP status is not their gRPC status's: the accounts service says
 * "sign in again" with FAILED_PRECONDITION (the request is fine, the sign-in is too old), which a
 * client must read as a 401 to re-authenticate, not as a 400 to fix the request.
 */
export const CODE_STATUS_OVERRIDES: Readonly<Partial<Record<ProblemCode, number>>> = Object.freeze({
  reauthentication_required: 401,
});
