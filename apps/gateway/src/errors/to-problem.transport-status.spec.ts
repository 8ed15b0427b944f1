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
