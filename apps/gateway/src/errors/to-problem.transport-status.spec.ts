import * as grpc from '@grpc/grpc-js';
import { toProblem, type ProblemContext } from './to-problem';

const context: ProblemContext = { requestId: 'req-7', instance: '/api/sessions', sentIfMatch: false };

function grpcError(code: grpc.status, details: string, errorCode?: string): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  if (errorCode) metadata.set('x-error-code', errorCode);
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata });
}

// grpc-js's own wording when an answer is over the client's receive limit.
const GRPC_JS_OVERSIZE = 'Received message larger than max (5243000 vs 4194304)';

describe('a status raised by the transport, not by the service', () => {
  it('answers RESOURCE_EXHAUSTED without the service code as 502 with a generic detail, never as a client rate limit', () => {
    const { problem } = toProblem(grpcError(grpc.status.RESOURCE_EXHAUSTED, GRPC_JS_OVERSIZE), context);
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      code: 'internal',
      detail: 'The session service sent an answer the gateway could not use.',
      instance: '/api/sessions',
      request_id: 'req-7',
    });
  });

  it('ignores a trailer that is no problem code: a proxy or another hop may add anything', () => {
    expect(toProblem(grpcError(grpc.status.RESOURCE_EXHAUSTED, GRPC_JS_OVERSIZE, 'quota'), context).problem).toMatchObject({
      status: 502,
      code: 'internal',
    });
  });

  it("keeps the service's own RESOURCE_EXHAUSTED, which carries x-error-code, a 429 with its message", () => {
    const { problem } = toProblem(grpcError(grpc.status.RESOURCE_EXHAUSTED, 'too many sessions for this user', 'rate_limited'), context);
    expect(problem).toMatchObject({ status: 429, code: 'rate_limited', detail: 'too many sessions for this user' });
  });

  it('maps the other statuses as before whether or not the service code came with them', () => {
    expect(toProblem(grpcError(grpc.status.UNAVAILABLE, 'connect ECONNREFUSED'), context).problem).toMatchObject({ status: 503 });
    expect(toProblem(grpcError(grpc.status.INVALID_ARGUMENT, 'page_token is malformed', 'bad_request'), context).problem).toMatchObject({
      status: 400,
      detail: 'page_token is malformed',
    });
    expect(toProblem(grpcError(grpc.status.INVALID_ARGUMENT, 'bad'), context).problem).toMatchObject({ status: 400, code: 'bad_request' });
  });
});

// grpc-js's own wording, as the gateway logged it when the session service's HTTP/2 server closed the
// connection under overload (GOAWAY INTERNAL_ERROR after a burst of streams the gateway reset at their deadline).
const SESSION_CLOSED = 'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error code 2';

describe('a call cut by the HTTP/2 transport under it', () => {
  it.each([
    [grpc.status.INTERNAL, SESSION_CLOSED],
    [grpc.status.INTERNAL, 'Received RST_STREAM with code 2 (Internal server error)'],
    [grpc.status.INTERNAL, 'Received RST_STREAM with code 0 (Call ended without gRPC status)'],
    [grpc.status.CANCELLED, 'Call cancelled'],
  ])('answers %s "%s" as 503 session_service_unavailable with the fixed retry-later detail', (code, details) => {
    const { problem, headers } = toProblem(grpcError(code, details), context);
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'session_service_unavailable',
      detail: 'The session service is unavailable; retry later.',
      instance: '/api/sessions',
      request_id: 'req-7',
    });
    expect(headers).toEqual({});
  });

  it('keeps INTERNAL and CANCELLED 500 when the session service sent them (x-error-code internal): its bug', () => {
    expect(toProblem(grpcError(grpc.status.INTERNAL, SESSION_CLOSED, 'internal'), context).problem).toMatchObject({
      status: 500,
      code: 'internal',
    });
    expect(toProblem(grpcError(grpc.status.CANCELLED, 'Call cancelled', 'internal'), context).problem).toMatchObject({ status: 500 });
  });

  it.each([
    [grpc.status.INTERNAL, 'Response message parsing error: invalid wire type 7'],
    [grpc.status.INTERNAL, 'Request message serialization failure: .session.v1.ValidateSessionRequest.token: string expected'],
    [grpc.status.CANCELLED, 'Cancelled on client'],
    [grpc.status.UNKNOWN, 'Received RST_STREAM with code 2'],
  ])('keeps a transport %s that is no cut stream ("%s") a 500: a bug, not an outage', (code, details) => {
    expect(toProblem(grpcError(code, details), context).problem).toMatchObject({ status: 500, code: 'internal' });
  });
});
