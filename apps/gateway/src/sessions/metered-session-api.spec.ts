import * as grpc from '@grpc/grpc-js';
import type { SessionApi } from '@session/grpc-client';
import { meterSessionApi, statusName } from './metered-session-api';

function grpcError(code: grpc.status): grpc.ServiceError {
  return Object.assign(new Error('x'), { code, details: 'x', metadata: new grpc.Metadata() });
}

describe('meterSessionApi', () => {
  it('records each call by RPC name and status, passing results and errors through', async () => {
    const calls: unknown[][] = [];
    const fake = {
      validateSession: async (request: unknown, options: unknown) => ({ echoed: [request, options] }),
      touchSession: async () => {
        throw grpcError(grpc.status.UNAUTHENTICATED);
      },
    } as unknown as SessionApi;
    for (const name of ['createSession', 'getSession', 'updateSessionData', 'revokeSession', 'bindUser', 'listUserSessions', 'revokeUserSessions']) {
      (fake as unknown as Record<string, unknown>)[name] = async () => ({});
    }
    const api = meterSessionApi(fake, (method, code) => calls.push([method, code]));

    await expect(api.validateSession({ token: 't' }, { requestId: 'r' })).resolves.toEqual({ echoed: [{ token: 't' }, { requestId: 'r' }] });
    await expect(api.touchSession({ token: 't' })).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    expect(calls).toEqual([
      ['ValidateSession', 'OK'],
      ['TouchSession', 'UNAUTHENTICATED'],
    ]);
  });

  it('names statuses, UNKNOWN for anything else', () => {
    expect(statusName(grpcError(grpc.status.DEADLINE_EXCEEDED))).toBe('DEADLINE_EXCEEDED');
    expect(statusName(grpcError(42 as grpc.status))).toBe('UNKNOWN');
    expect(statusName(new Error('plain'))).toBe('UNKNOWN');
  });
});
