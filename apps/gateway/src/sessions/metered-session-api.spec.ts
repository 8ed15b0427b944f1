import * as grpc from '@grpc/grpc-js';
import { createSessionClient, rpcMethodKey, SessionApi, unaryRpcNames } from '@session/grpc-client';
import { loadSessionPackage } from '@session/proto';
import { startFakeSessionService, type FakeSessionService } from '../testing/fake-session-service';
import { meterSessionApi, statusName } from './metered-session-api';

function grpcError(code: grpc.status): grpc.ServiceError {
  return Object.assign(new Error('x'), { code, details: 'x', metadata: new grpc.Metadata() });
}

describe('meterSessionApi against a gRPC server on a real port', () => {
  let service: FakeSessionService;
  let api: SessionApi;
  const calls: string[][] = [];

  beforeAll(async () => {
    service = await startFakeSessionService();
    api = meterSessionApi(new SessionApi(createSessionClient({ address: service.address }), 2_000), (method, code) =>
      calls.push([method, code]),
    );
  });
  afterAll(() => {
    api.close();
    service.stop();
  });
  beforeEach(() => {
    calls.length = 0;
  });

  it('records each call by RPC name and status, passing results and errors through', async () => {
    service.on('ValidateSession', { reply: { session: { session_id: 's-1' } } });
    service.on('TouchSession', { fail: grpc.status.UNAUTHENTICATED });
    service.on('GetSession', { hangMs: 500, reply: {} });

    await expect(api.validateSession({ token: 't' }, { requestId: 'r' })).resolves.toMatchObject({ session: { session_id: 's-1' } });
    expect(service.lastMetadata.get('ValidateSession')?.get('x-request-id')).toEqual(['r']);
    await expect(api.touchSession({ token: 't' })).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(api.getSession({ session_id: 's-1' }, { timeoutMs: 100 })).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    expect(calls).toEqual([
      ['ValidateSession', 'OK'],
      ['TouchSession', 'UNAUTHENTICATED'],
      ['GetSession', 'DEADLINE_EXCEEDED'],
    ]);
  });

  it('meters every unary RPC of the service definition, with no list of its own', async () => {
    const rpcs = unaryRpcNames(loadSessionPackage().proto.session.v1.SessionService.service);
    for (const rpc of rpcs) service.on(rpc, { fail: grpc.status.UNIMPLEMENTED });
    for (const rpc of rpcs) {
      const method: (request: object) => Promise<unknown> = Reflect.get(api, rpcMethodKey(rpc));
      await expect(method({})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    }
    expect(calls).toEqual(rpcs.map((rpc) => [rpc, 'UNIMPLEMENTED']));
    expect(rpcs).toEqual(expect.arrayContaining(['CreateSession', 'ValidateSession', 'RevokeUserSessions']));
  });

  it('names statuses, UNKNOWN for anything else', () => {
    expect(statusName(grpcError(grpc.status.DEADLINE_EXCEEDED))).toBe('DEADLINE_EXCEEDED');
    expect(statusName(grpcError(42 as grpc.status))).toBe('UNKNOWN');
    expect(statusName(new Error('plain'))).toBe('UNKNOWN');
  });
});
