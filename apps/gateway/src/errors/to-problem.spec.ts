import * as grpc from '@grpc/grpc-js';
import { PROBLEM_CODES } from '@session/rest-contract';
import { GRPC_TO_HTTP } from './grpc-status-table';
import { ProblemError } from './problem-error';
import { buildProblem, codeForStatus, isServiceError, toProblem, type ProblemContext } from './to-problem';

const context: ProblemContext = { requestId: 'req-1', instance: '/api/sessions/current', sentIfMatch: false };

function grpcError(code: grpc.status, details: string, errorCode?: string): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (errorCode) metadata.set('x-error-code', errorCode);
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata });
}

// Every value of the grpc-js status enum (numeric enums map both ways; keep the numbers).
const ALL_STATUSES = Object.values(grpc.status).filter((v): v is grpc.status => typeof v === 'number');

const EXPECTED_HTTP: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  // Without the service's x-error-code the status came from the transport: see to-problem.transport-status.spec.ts.
  RESOURCE_EXHAUSTED: 502,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

describe('gRPC status table', () => {
  it('covers all 17 statuses', () => {
    expect(ALL_STATUSES).toHaveLength(17);
    for (const s of ALL_STATUSES) expect(GRPC_TO_HTTP[s]).toBeDefined();
  });

  it.each(ALL_STATUSES.map((s) => [grpc.status[s], s] as const))('%s maps as docs/contracts.md#grpc-status-to-http says', (name, s) => {
    const { problem } = toProblem(grpcError(s, 'a short sentence'), context);
    expect(problem.status).toBe(EXPECTED_HTTP[name] ?? 500);
    expect(PROBLEM_CODES).toContain(problem.code);
    expect(problem.request_id).toBe('req-1');
    expect(problem.instance).toBe('/api/sessions/current');
  });
});

describe('toProblem for gRPC errors', () => {
  it('takes the code from the x-error-code trailer and the service message as detail', () => {
    const { problem } = toProblem(grpcError(grpc.status.UNAUTHENTICATED, 'the session has expired', 'session_expired'), context);
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'session_expired',
      detail: 'the session has expired',
      instance: '/api/sessions/current',
      request_id: 'req-1',
    });
  });

  it('ignores a trailer that is not a known problem code', () => {
    expect(toProblem(grpcError(grpc.status.NOT_FOUND, 'gone', 'mystery'), context).problem.code).toBe('not_found');
  });

  it('falls back to the status phrase when the service sent no message', () => {
    expect(toProblem(grpcError(grpc.status.NOT_FOUND, ''), context).problem.detail).toBe('Not Found');
  });

  it('turns a version conflict into 412 when If-Match was sent, 409 otherwise', () => {
    const conflict = grpcError(grpc.status.ABORTED, 'the session data changed', 'version_conflict');
    expect(toProblem(conflict, context).problem).toMatchObject({ status: 409, code: 'version_conflict' });
    expect(toProblem(conflict, { ...context, sentIfMatch: true }).problem).toMatchObject({ status: 412, code: 'precondition_failed' });
  });

  it('turns payload_too_large into 413', () => {
    const tooLarge = grpcError(grpc.status.INVALID_ARGUMENT, 'user_data is larger than 16384 bytes', 'payload_too_large');
    expect(toProblem(tooLarge, context).problem).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('never leaks the message of a 5xx', () => {
    for (const s of [grpc.status.INTERNAL, grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNKNOWN]) {
      const { problem } = toProblem(grpcError(s, 'connect ECONNREFUSED 10.0.0.7:50051 at /srv/secret.js', 'internal'), context);
      expect(problem.detail).not.toContain('ECONNREFUSED');
      expect(problem.detail).not.toContain('secret');
    }
  });

  it('answers the accounts codes of the error contract, reauthentication_required as 401 (sign in again, not fix the request)', () => {
    const cases: [grpc.status, string, number][] = [
      [grpc.status.ALREADY_EXISTS, 'account_exists', 409],
      [grpc.status.UNAUTHENTICATED, 'invalid_credentials', 401],
      [grpc.status.FAILED_PRECONDITION, 'reauthentication_required', 401],
      [grpc.status.INVALID_ARGUMENT, 'invalid_email', 400],
      [grpc.status.INVALID_ARGUMENT, 'invalid_password', 400],
      [grpc.status.RESOURCE_EXHAUSTED, 'rate_limited', 429],
    ];
    for (const [code, errorCode, status] of cases) {
      expect(toProblem(grpcError(code, 'refused', errorCode), context).problem).toMatchObject({ status, code: errorCode });
    }
  });

  it("passes a throttling service's retry-after on as Retry-After, and only a whole number of seconds", () => {
    const throttled = (value: string) => {
      const error = grpcError(grpc.status.RESOURCE_EXHAUSTED, 'slow down', 'rate_limited');
      error.metadata.set('retry-after', value);
      return toProblem(error, context).headers;
    };
    expect(throttled('42')).toEqual({ 'retry-after': '42' });
    expect(throttled('Wed, 21 Oct 2026 07:28:00 GMT')).toEqual({});
    expect(toProblem(grpcError(grpc.status.RESOURCE_EXHAUSTED, 'slow down', 'rate_limited'), context).headers).toEqual({});
  });

  it('treats a status outside the enum as internal', () => {
    expect(toProblem(grpcError(99 as grpc.status, 'odd'), context).problem).toMatchObject({ status: 500, code: 'internal' });
  });
});

describe('toProblem for other errors', () => {
  it('keeps a ProblemError and its headers', () => {
    const reply = toProblem(new ProblemError(429, 'rate_limited', 'slow down', { 'retry-after': '7' }), context);
    expect(reply.problem).toMatchObject({ status: 429, code: 'rate_limited', detail: 'slow down' });
    expect(reply.headers).toEqual({ 'retry-after': '7' });
  });

  it('names the failing field of a schema error', () => {
    const error = Object.assign(new Error('body/user_data must be object'), {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      validation: [{ instancePath: '/user_data', message: 'must be object' }],
      validationContext: 'body',
    });
    expect(toProblem(error, context).problem).toMatchObject({
      status: 400,
      code: 'bad_request',
      field: 'body/user_data',
      detail: 'body/user_data must be object',
    });
  });

  it('names a missing required property', () => {
    const error = Object.assign(new Error('invalid'), {
      statusCode: 400,
      validation: [{ instancePath: '', params: { missingProperty: 'user_data' } }],
    });
    expect(toProblem(error, context).problem).toMatchObject({ field: 'request/user_data', detail: 'request/user_data is invalid' });
  });

  it('maps Fastify body errors by status and keeps their message', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toProblem(tooLarge, context).problem).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      detail: 'Request body is too large',
    });
    const media = Object.assign(new Error('Unsupported Media Type: text/csv'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(toProblem(media, context).problem).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('does not repeat the message of a foreign error with a status', () => {
    const foreign = Object.assign(new Error('db password wrong'), { statusCode: 403 });
    expect(toProblem(foreign, context).problem).toMatchObject({ status: 403, code: 'forbidden', detail: 'Forbidden' });
  });

  it('hides unexpected errors behind a 500', () => {
    expect(toProblem(new TypeError('cannot read x of undefined'), context).problem).toMatchObject({
      status: 500,
      code: 'internal',
      detail: 'An internal error occurred.',
    });
    expect(toProblem('a string thrown', context).problem).toMatchObject({ status: 500, code: 'internal' });
    expect(toProblem(Object.assign(new Error('odd'), { statusCode: 302 }), context).problem.status).toBe(500);
  });

  it.each([
    [401, 'unauthenticated'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [405, 'bad_request'],
    [412, 'precondition_failed'],
    [413, 'payload_too_large'],
    [415, 'unsupported_media_type'],
    [429, 'rate_limited'],
    [500, 'internal'],
    [503, 'session_service_unavailable'],
    [504, 'timeout'],
  ])('status %d has the default code %s', (status, code) => expect(codeForStatus(status)).toBe(code));
});

describe('the edges of the mapping', () => {
  it('recognises only objects with a numeric code and grpc-js Metadata as gRPC errors', () => {
    expect(isServiceError(grpcError(grpc.status.NOT_FOUND, 'gone'))).toBe(true);
    expect(isServiceError(null)).toBe(false);
    expect(isServiceError(undefined)).toBe(false);
    expect(isServiceError(new Error('plain'))).toBe(false);
    expect(isServiceError({ code: 'ECONNRESET', metadata: new grpc.Metadata() })).toBe(false);
    expect(isServiceError({ code: 5, metadata: { get: () => [] } })).toBe(false);
    expect(isServiceError(Object.assign(() => undefined, { code: 5, metadata: new grpc.Metadata() }))).toBe(false);
  });

  it('takes the code of a 5xx from the status alone, whatever the trailer says', () => {
    const internal = grpcError(grpc.status.INTERNAL, 'mongo said no', 'session_not_found');
    expect(toProblem(internal, context).problem).toMatchObject({ status: 500, code: 'internal', detail: 'An internal error occurred.' });
    const unavailable = grpcError(grpc.status.UNAVAILABLE, 'connect ECONNREFUSED', 'session_expired');
    expect(toProblem(unavailable, context).problem).toMatchObject({ status: 503, code: 'session_service_unavailable' });
  });

  it('tells clients what a 503 and a 504 mean, and nothing else about a 5xx', () => {
    const detail = (s: grpc.status) => toProblem(grpcError(s, 'internal details'), context).problem.detail;
    expect(detail(grpc.status.UNAVAILABLE)).toBe('The session service is unavailable; retry later.');
    expect(detail(grpc.status.DEADLINE_EXCEEDED)).toBe('The session service did not answer in time; retry later.');
    expect(detail(grpc.status.DATA_LOSS)).toBe('An internal error occurred.');
    expect(toProblem(new ProblemError(500, 'internal', 'a detail for the log only'), context).problem.detail).toBe(
      'An internal error occurred.',
    );
    expect(toProblem(new ProblemError(499, 'bad_request', 'kept below 500'), context).problem.detail).toBe('kept below 500');
  });

  it('turns only a version conflict into 412 when If-Match was sent', () => {
    const withIfMatch = { ...context, sentIfMatch: true };
    expect(toProblem(grpcError(grpc.status.NOT_FOUND, 'gone', 'session_not_found'), withIfMatch).problem).toMatchObject({
      status: 404,
      code: 'session_not_found',
    });
    expect(toProblem(grpcError(grpc.status.UNAUTHENTICATED, 'expired', 'session_expired'), withIfMatch).problem).toMatchObject({
      status: 401,
    });
  });

  it('adds a field only to schema errors', () => {
    const problem = toProblem(grpcError(grpc.status.INVALID_ARGUMENT, 'bad', 'bad_request'), context).problem;
    expect(Object.keys(problem)).not.toContain('field');
    expect(Object.keys(buildProblem(400, 'bad_request', 'x', context, 'body/a'))).toContain('field');
  });

  it('titles a status Node has no phrase for as "Error"', () => {
    expect(buildProblem(499, 'bad_request', 'closed early', context)).toMatchObject({ title: 'Error', status: 499 });
    expect(buildProblem(404, 'not_found', 'gone', context).title).toBe('Not Found');
  });

  it('keeps foreign statuses from 400 up to 599 and hides the rest behind a 500', () => {
    const foreign = (statusCode: number) => toProblem(Object.assign(new Error('library internals'), { statusCode }), context).problem;
    expect(foreign(400)).toMatchObject({ status: 400, code: 'bad_request', detail: 'Bad Request' });
    expect(foreign(599)).toMatchObject({ status: 599, code: 'internal' });
    expect(foreign(600)).toMatchObject({ status: 500, code: 'internal' });
    expect(foreign(399)).toMatchObject({ status: 500, code: 'internal' });
  });

  it("repeats only Fastify's own messages (FST_ codes), not another library's coded ones", () => {
    const coded = Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { statusCode: 400, code: 'ENOTFOUND' });
    expect(toProblem(coded, context).problem).toMatchObject({ status: 400, detail: 'Bad Request' });
    const fastify = Object.assign(new Error('Body cannot be empty'), { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY' });
    expect(toProblem(fastify, context).problem.detail).toBe('Body cannot be empty');
  });

  it('treats a thrown non-Error as internal, even one that looks like an HTTP error', () => {
    expect(toProblem({ statusCode: 404, message: 'not an Error' }, context).problem).toMatchObject({ status: 500, code: 'internal' });
  });

  it('answers a schema error without a first message or path as an invalid request', () => {
    const error = Object.assign(new Error('invalid'), { statusCode: 400, validation: [{ instancePath: '' }] });
    expect(toProblem(error, context).problem).toMatchObject({
      status: 400,
      code: 'bad_request',
      field: 'request',
      detail: 'request is invalid',
    });
  });
});
