import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY, loadSessionPackage, type SessionServiceClient } from '@session/proto';
import Fastify, { type FastifyInstance } from 'fastify';
import { CachedValidator } from './cached-validator';
import { fastifySessionAuth } from './fastify-session-auth';
import { grpcSessionAuthInterceptor } from './grpc-session-auth';
import { FakeFeed, FakeService, session, testMetrics } from './testing/fake-deps';

const MINUTE = 60_000;
const NOW = 10_000_000;

/** A CachedValidator over the fake service (which counts its validations), with a caught-up fake feed. */
function cachedOver(service: FakeService): CachedValidator {
  return new CachedValidator({
    validate: service.validate,
    touch: service.touch,
    feed: new FakeFeed(),
    metrics: testMetrics().metrics,
    enabled: true,
    maxEntries: 100,
    maxAgeMs: 60_000,
    touchIntervalMs: 60_000,
    now: () => NOW,
  });
}

function signedInService(): FakeService {
  const service = new FakeService();
  const live = { idleExpiresAt: NOW + 3_600_000, absoluteExpiresAt: NOW + 7_200_000 };
  service.sessions.set(
    'recent',
    session('recent', { userId: 'u1', authenticatedAt: NOW - 2 * MINUTE, authenticationMethod: 'password', ...live }),
  );
  service.sessions.set(
    'old',
    session('old', { userId: 'u1', authenticatedAt: NOW - 30 * MINUTE, authenticationMethod: 'password', ...live }),
  );
  service.sessions.set('anon', session('anon', live));
  return service;
}

describe('maxAuthenticationAge on a Fastify route, over a real port', () => {
  let app: FastifyInstance;
  let base: string;
  let service: FakeService;
  let validator: CachedValidator;

  beforeAll(async () => {
    service = signedInService();
    validator = cachedOver(service);
    app = Fastify();
    await app.register(fastifySessionAuth, { validator, now: () => NOW });
    app.get('/profile', async (request) => ({ id: request.validatedSession?.sessionId }));
    app.post('/password', { config: { maxAuthenticationAge: 10 * MINUTE } }, async (request) => ({
      id: request.validatedSession?.sessionId,
    }));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    validator.close();
    await app.close();
  });
  const call = (method: string, path: string, token: string) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

  it('answers from the cached session, without another validation: 200 for a recent sign-in, 401 reauthentication_required for an old one or an anonymous session', async () => {
    for (const token of ['recent.s', 'old.s', 'anon.s']) expect((await call('GET', '/profile', token)).status).toBe(200);
    const callsAfterFill = service.calls;
    expect(callsAfterFill).toBe(3);

    expect((await call('POST', '/password', 'recent.s')).status).toBe(200);
    for (const token of ['old.s', 'anon.s']) {
      const res = await call('POST', '/password', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 401, code: 'reauthentication_required' });
    }
    expect(service.calls).toBe(callsAfterFill);
  });

  it('validates at the service on a miss and judges the answer the same way', async () => {
    service.sessions.set(
      'fresh',
      session('fresh', { userId: 'u2', authenticatedAt: NOW - 11 * MINUTE, idleExpiresAt: NOW + 60_000, absoluteExpiresAt: NOW + 60_000 }),
    );
    const before = service.calls;
    const res = await call('POST', '/password', 'fresh.s');
    expect(res.status).toBe(401);
    expect(service.calls).toBe(before + 1);
  });
});

describe('maxAuthenticationAge on a gRPC method, over a real grpc-js port', () => {
  const { proto } = loadSessionPackage();
  let server: grpc.Server;
  let client: SessionServiceClient;
  let service: FakeService;
  let validator: CachedValidator;
  let handled = 0;

  beforeAll(async () => {
    service = signedInService();
    validator = cachedOver(service);
    server = new grpc.Server({
      interceptors: [
        grpcSessionAuthInterceptor({
          validator,
          maxAuthenticationAge: { '/session.v1.SessionService/RevokeUserSessions': 10 * MINUTE },
          now: () => NOW,
        }),
      ],
    });
    const answer = (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
      handled += 1;
      callback(null, {});
    };
    server.addService(proto.session.v1.SessionService.service, { GetSession: answer, RevokeUserSessions: answer } as never);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = new proto.session.v1.SessionService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    validator.close();
    client.close();
    server.forceShutdown();
  });

  const call = (method: 'GetSession' | 'RevokeUserSessions', token: string) => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    return new Promise<grpc.ServiceError | null>((resolve) =>
      (client[method] as unknown as (req: object, md: grpc.Metadata, cb: (err: grpc.ServiceError | null) => void) => void)(
        {},
        metadata,
        (err) => resolve(err),
      ),
    );
  };

  it('ends an old sign-in or an anonymous session with FAILED_PRECONDITION and x-error-code reauthentication_required, from the cache, before the handler', async () => {
    for (const token of ['recent.s', 'old.s', 'anon.s']) expect(await call('GetSession', token)).toBeNull();
    const callsAfterFill = service.calls;
    const handledBefore = handled;
    expect(await call('RevokeUserSessions', 'recent.s')).toBeNull();
    for (const token of ['old.s', 'anon.s']) {
      const err = await call('RevokeUserSessions', token);
      expect(err?.code).toBe(grpc.status.FAILED_PRECONDITION);
      expect(err?.metadata.get(ERROR_CODE_METADATA_KEY)).toEqual(['reauthentication_required']);
    }
    expect(handled).toBe(handledBefore + 1);
    expect(service.calls).toBe(callsAfterFill);
  });
});
