import { STATUS_CODES } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import { PROBLEM_CODES, type Problem, type ProblemCode } from '@session/rest-contract';
import { CODE_STATUS_OVERRIDES, GRPC_TO_HTTP } from './grpc-status-table';
import { ProblemError } from './problem-error';

export interface ProblemContext {
  readonly requestId: string;
  /** The request path: RFC 9457 `instance`. */
  readonly instance: string;
  /** The request carried If-Match, so a version conflict is a failed precondition (412). */
  readonly sentIfMatch: boolean;
}

export interface ProblemReply {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(PROBLEM_CODES);

/** What a client is told about a 5xx: the status says enough, internals stay in the log. */
const SERVER_ERROR_DETAIL: Readonly<Record<number, string>> = {
  502: 'The session service sent an answer the gateway could not use.',
  503: 'The session service is unavailable; retry later.',
  504: 'The session service did not answer in time; retry later.',
};
const INTERNAL_DETAIL = 'An internal error occurred.';

export function isServiceError(error: unknown): error is grpc.ServiceError {
  const e = error as Partial<grpc.ServiceError> | null;
  return !!e && typeof e === 'object' && typeof e.code === 'number' && e.metadata instanceof grpc.Metadata;
}

/** The default problem code of an HTTP status the gateway produces without a more precise one. */
export function codeForStatus(status: number): ProblemCode {
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 412:
      return 'precondition_failed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'session_service_unavailable';
    case 504:
      return 'timeout';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

export function buildProblem(status: number, code: ProblemCode, detail: string, context: ProblemContext, field?: string): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code,
    detail: status >= 500 ? (SERVER_ERROR_DETAIL[status] ?? INTERNAL_DETAIL) : detail,
    instance: context.instance,
    ...(field === undefined ? {} : { field }),
    request_id: context.requestId,
  };
}

function fromServiceError(error: grpc.ServiceError, context: ProblemContext): Problem {
  const trailer = String(error.metadata.get(ERROR_CODE_METADATA_KEY)[0] ?? '');
  const fromService = KNOWN_CODES.has(trailer);
  const byStatus = GRPC_TO_HTTP[error.code as grpc.status] ?? GRPC_TO_HTTP[grpc.status.UNKNOWN];
  const transport = byStatus.fromTransport;
  const byTransport = !fromService && transport && (!transport.when || transport.when.test(error.details ?? ''));
  const mapping = byTransport ? transport : byStatus;
  if (mapping.status >= 500) return buildProblem(mapping.status, mapping.code, '', context);
  // The session service refused the gateway's own API key or allow-list: a deployment fault, not the user's (never a 401).
  if (trailer === 'caller_unauthenticated' || trailer === 'caller_not_allowed') return buildProblem(500, 'internal', '', context);
  const code = fromService ? (trailer as ProblemCode) : mapping.code;
  // The service's message is a short sentence written for clients (never a token).
  const detail = error.details || (STATUS_CODES[mapping.status] as string);
  if (error.code === grpc.status.ABORTED && context.sentIfMatch) return buildProblem(412, 'precondition_failed', detail, context);
  if (code === 'payload_too_large') return buildProblem(413, code, detail, context);
  return buildProblem(CODE_STATUS_OVERRIDES[code] ?? mapping.status, code, detail, context);
}

/** A throttling service says when to come back (`retry-after` metadata, whole seconds); passed on as Retry-After. */
function retryAfterOf(error: grpc.ServiceError): Record<string, string> {
  const seconds = String(error.metadata.get('retry-after')[0] ?? '');
  return error.code === grpc.status.RESOURCE_EXHAUSTED && /^\d{1,6}$/.test(seconds) ? { 'retry-after': seconds } : {};
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
  validation?: { instancePath: string; message?: string; params?: { missingProperty?: string } }[];
  validationContext?: string;
  /** Set by a route's schema error formatter (user data: invalid_user_data); its message is then the detail. */
  problemCode?: ProblemCode;
}

function fromFastifyError(error: FastifyLikeError, context: ProblemContext): Problem {
  if (error.validation?.length) {
    const first = error.validation[0];
    const path = first.params?.missingProperty ? `${first.instancePath}/${first.params.missingProperty}` : first.instancePath;
    const field = `${error.validationContext ?? 'request'}${path}`;
    if (error.problemCode) return buildProblem(400, error.problemCode, error.message, context, field);
    return buildProblem(400, 'bad_request', `${field} ${first.message ?? 'is invalid'}`, context, field);
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  // Fastify's own messages are written for clients; another library's may not be.
  const detail = error.code?.startsWith('FST_') ? error.message : (STATUS_CODES[status] as string);
  return buildProblem(status, codeForStatus(status), detail, context);
}

/**
 * The one place any failure becomes an RFC 9457 problem: gateway decisions,
 * gRPC errors (through the status table and the `x-error-code` trailer),
 * Fastify's own errors (schema, content type, body size) and anything else
 * (500, nothing leaked).
 */
export function toProblem(error: unknown, context: ProblemContext): ProblemReply {
  if (error instanceof ProblemError) {
    return { problem: buildProblem(error.status, error.code, error.message, context), headers: error.headers };
  }
  if (isServiceError(error)) return { problem: fromServiceError(error, context), headers: retryAfterOf(error) };
  if (error instanceof Error) return { problem: fromFastifyError(error as FastifyLikeError, context), headers: {} };
  return { problem: buildProblem(500, 'internal', '', context), headers: {} };
}
