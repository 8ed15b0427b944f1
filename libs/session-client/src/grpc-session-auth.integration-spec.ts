import * as grpc from '@grpc/grpc-js';
import { loadSessionPackage, type SessionServiceClient } from '@session/proto';
import { grpcSessionAuthInterceptor, sessionOfCall } from './grpc-session-auth';
import { FakeService, session } from './testing/fake-deps';

describe('grpcSessionAuthInterceptor on a real grpc-js server', () => {
  const { proto } = loadSessionPackage();
  const service = new FakeService();
  service.sessions.set('a', session('a', { userId: 'u1' }));
  const seen: (string | undefined)[] = [];
  let server: grpc.Server;
  let client: SessionServiceClient;

  beforeAll(async () => {
    server = new grpc.Server({
      interceptors: [
        grpcSessionAuthInterceptor({
          validator: service,
          methods: { '/session.v1.SessionService/ListUserSessions': 'optional', '/session.v1.SessionService/CreateSession': 'off' },
        }),
      ],
    });
    // Each handler answers with the session id the interceptor authenticated, if any.
    const answer = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const found = sessionOfCall(call);
      seen.push(found?.sessionId);
      callback(null, { session: found ? { session_id: found.sessionId, user_id: found.userId } : null, sessions: [] });
    };
    server.addService(proto.session.v1.SessionService.service, {
      GetSession: answer,
      ListUserSessions: answer,
      CreateSession: answer,
    } as never);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = new proto.session.v1.SessionService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });
  beforeEach(() => {
    seen.length = 0;
    service.failWith = undefined;
  });

  const call = (method: 'GetSession' | 'ListUserSessions' | 'CreateSession', headers: Record<string, string>) => {
    const metadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
    return new Promise<{ session?: { session_id: string } | null }>((resolve, reject) =>
      (client[method] as unknown as (req: object, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: never) => void) => void)(
        {},
        metadata,
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  };

  it('hands the handler the session of the Bearer token', async () => {
    const res = await call('GetSession', { authorization: 'Bearer a.secret' });
    expect(res.session?.session_id).toBe('a');
  });

  it.each([
    ['no token', {}],
    ['an invalid token', { authorization: 'Bearer zz.secret' }],
  ])('a required method ends with UNAUTHENTICATED for %s, before the handler', async (_name, headers) => {
    await expect(call('GetSession', headers)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    expect(seen).toEqual([]);
  });

  it('an optional method runs without a session for a missing or invalid token', async () => {
    await call('ListUserSessions', {});
    await call('ListUserSessions', { authorization: 'Bearer zz.secret' });
    await call('ListUserSessions', { authorization: 'Bearer a.secret' });
    expect(seen).toEqual([undefined, undefined, 'a']);
  });

  it('a method with auth off is not validated', async () => {
    const before = service.calls;
    await call('CreateSession', { authorization: 'Bearer a.secret' });
    expect(seen).toEqual([undefined]);
    expect(service.calls).toBe(before);
  });

  it('answers UNAVAILABLE when the session service cannot say, even on optional methods', async () => {
    service.failWith = { code: grpc.status.DEADLINE_EXCEEDED };
    await expect(call('GetSession', { authorization: 'Bearer a.secret' })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await expect(call('ListUserSessions', { authorization: 'Bearer a.secret' })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(seen).toEqual([]);
  });

  it('a burst of concurrent calls each get their own session', async () => {
    service.sessions.set('b', session('b'));
    const ids = Array.from({ length: 50 }, (_, i) => (i % 2 ? 'a' : 'b'));
    const answers = await Promise.all(ids.map((id) => call('GetSession', { authorization: `Bearer ${id}.secret` })));
    expect(answers.map((a) => a.session?.session_id)).toEqual(ids);
  });
});
