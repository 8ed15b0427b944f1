import * as grpc from '@grpc/grpc-js';
import { toProblem, type ProblemContext } from './to-problem';

const context: ProblemContext = { requestId: 'req-9', instance: '/api/sessions/current', sentIfMatch: true };

function refusedCaller(code: grpc.status, errorCode: string): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  metadata.set('x-error-code', errorCode);
  return Object.assign(new Error('refused'), { code, details: 'unknown API key', metadata });
}

describe('the session service refusing the gateway itself (its API key or allow-list)', () => {
  it.each([
    ['caller_unauthenticated', grpc.status.UNAUTHENTICATED],
    ['caller_not_allowed', grpc.status.PERMISSION_DENIED],
  ])('answers %s as a 500 internal error, never as the user being unauthenticated or forbidden', (errorCode, code) => {
    expect(toProblem(refusedCaller(code, errorCode), context).problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'internal',
      detail: 'An internal error occurred.',
      instance: '/api/sessions/current',
      request_id: 'req-9',
    });
  });
});

describe('a schema error a route formatted with its own problem code', () => {
  it('keeps that code and the message as the detail, naming the field', () => {
    const error = Object.assign(new Error('body/user_data/a.b has a key with "."'), {
      statusCode: 400,
      problemCode: 'invalid_user_data' as const,
      validation: [{ instancePath: '/user_data/a.b', message: 'must match pattern' }],
      validationContext: 'body',
    });
    expect(toProblem(error, context).problem).toMatchObject({
      status: 400,
      code: 'invalid_user_data',
      detail: 'body/user_data/a.b has a key with "."',
      field: 'body/user_data/a.b',
    });
  });
});
