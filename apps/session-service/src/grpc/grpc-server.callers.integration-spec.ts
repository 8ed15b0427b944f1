import { createHash, randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { FEED_RPC_NAMES, parseGrpcCallers, SESSION_RPC_NAMES } from '@session/config';
import { checkHealth, createHealthClient, createSessionClient, SessionApi } from '@session/grpc-client';
import { loadSessionPackage } from '@session/proto';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

const newKey = () => randomBytes(32).toString('base64');
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const GATEWAY_RPCS = 'CreateSession,ValidateSession,UpdateSessionData,TouchSession,RevokeSession,ListUserSessions';

describe('callers on the gRPC port (an outside grpc-js client over a real port)', () => {
  const gatewayKey = newKey();
  const gatewayNextKey = newKey();
  const adminKey = newKey();
  let t: TestService;
  const clients: SessionApi[] = [];
  const apiWith = (apiKey?: string) => {
    const api = new SessionApi(createSessionClient({ address: t.address, apiKey }), 5_000);
    clients.push(api);
    return api;
  };

  beforeAll(async () => {
    t = await startTestService({
      apiKey: gatewayKey,
      env: {
        GRPC_CALLERS: `gateway=${GATEWAY_RPCS};admin=RevokeUserSessions`,
        // The gateway is half-way through a rotation: both its keys work.
        GRPC_CALLER_KEY_HASHES: `gateway=${sha256(gatewayKey)},${sha256(gatewayNextKey)};admin=${sha256(adminKey)}`,
      },
    });
  });
  afterAll(async () => {
    for (const api of clients) api.close();
    await t?.close();
  });

  it('answers UNAUTHENTICATED without a key, and the handler never runs', async () => {
    const before = await t.collection.countDocuments();
    const f = await failureOf(apiWith().createSession({}));
    expect(f).toMatchObject({ code: grpc.status.UNAUTHENTICATED, errorCode: 'caller_unauthenticated' });
    expect(f.details).toContain('x-api-key');
    expect(await t.collection.countDocuments()).toBe(before);
  });

  it('answers UNAUTHENTICATED for a wrong key, even one that differs from a real key in its last character', async () => {
    const nearMiss = `${gatewayKey.slice(0, -2)}${gatewayKey.endsWith('A=') ? 'B=' : 'A='}`;
    for (const key of [newKey(), nearMiss]) {
      expect(await failureOf(apiWith(key).createSession({}))).toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
        errorCode: 'caller_unauthenticated',
      });
    }
  });

  it('serves an allowed call with either of a caller’s two keys', async () => {
    const created = await t.api.createSession({});
    const validated = await apiWith(gatewayNextKey).validateSession({ token: created.token });
    expect(validated.session?.session_id).toBe(created.session?.session_id);
  });

  it('answers PERMISSION_DENIED for an RPC outside the allow-list and changes nothing stored', async () => {
    const { token, session } = await t.api.createSession({});
    const before = await t.collection.findOne({ _id: session!.session_id });
    const f = await failureOf(t.api.bindUser({ token, user_id: 'mallory' }));
    expect(f).toMatchObject({ code: grpc.status.PERMISSION_DENIED, errorCode: 'caller_not_allowed' });
    expect(f.details).toBe('caller gateway may not call BindUser');
    expect(await t.collection.findOne({ _id: session!.session_id })).toEqual(before);
    expect((await t.api.validateSession({ token })).session?.user_id).toBe('');
    // And the admin may revoke a user's sessions but not read them.
    const admin = apiWith(adminKey);
    expect(await admin.revokeUserSessions({ user_id: 'nobody' })).toBeDefined();
    expect(await failureOf(admin.validateSession({ token }))).toMatchObject({ code: grpc.status.PERMISSION_DENIED });
  });

  it('keeps grpc.health.v1 open to callers without a key', async () => {
    const health = createHealthClient(apiWith().client);
    expect(await checkHealth(health, 'session.v1.SessionService', 2_000)).toBe('SERVING');
  });

  it('serves no reflection when it is not configured', async () => {
    const reflection = new grpc.Client(t.address, grpc.credentials.createInsecure());
    const f = await new Promise<grpc.ServiceError>((resolve) => {
      const call = reflection.makeBidiStreamRequest(
        '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
        (x: Buffer) => x,
        (x: Buffer) => x,
      );
      call.on('error', resolve);
      call.on('data', () => undefined);
      call.write(Buffer.from([0x3a, 0x00])); // list_services: ""
      call.end();
    });
    reflection.close();
    expect(f.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it('logs the caller by name for refused and served calls, never a key', async () => {
    await t.api.createSession({});
    await failureOf(apiWith(newKey()).createSession({}));
    const logs = t.logs();
    expect(logs).toMatch(/"caller":"gateway","method":"BindUser","peer":"127\.0\.0\.1:\d+","code":"PERMISSION_DENIED"/);
    expect(logs).toMatch(/"caller":"unknown","method":"CreateSession".*"code":"UNAUTHENTICATED"/);
    for (const key of [gatewayKey, gatewayNextKey, adminKey]) expect(logs).not.toContain(key);
  });

  it('counts calls per caller', async () => {
    const text = await t.metrics.registry.metrics();
    expect(text).toMatch(/grpc_server_caller_calls_total\{caller="gateway",method="BindUser",outcome="permission_denied"\} 1/);
    expect(text).toMatch(/grpc_server_caller_calls_total\{caller="admin",method="RevokeUserSessions",outcome="ok"\} 1/);
    expect(text).toMatch(/grpc_server_caller_calls_total\{caller="unknown",method="CreateSession",outcome="unauthenticated"\} [1-9]/);
  });
});

describe('callers without configuration', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => t?.close());

  it('serves a loopback peer without a key and names it in the logs', async () => {
    const { token } = await t.api.createSession({}, { requestId: 'loopback-1' });
    await t.api.validateSession({ token });
    expect(t.logs()).not.toContain('rpc refused');
    expect(await t.metrics.registry.metrics()).toMatch(
      /grpc_server_caller_calls_total\{caller="loopback",method="CreateSession",outcome="ok"\} 1/,
    );
  });
});

describe('the allow-list vocabulary', () => {
  it('is exactly the RPCs of session.v1.SessionService', () => {
    const service = loadSessionPackage().proto.session.v1.SessionService.service;
    expect([...SESSION_RPC_NAMES].sort()).toEqual(
      Object.values(service)
        .map((m) => m.path.split('/').pop())
        .sort(),
    );
  });

  it('names the RPCs of session.v1.SessionFeedService too, so a caller can be allowed the feed', () => {
    const feed = loadSessionPackage().proto.session.v1.SessionFeedService.service;
    expect([...FEED_RPC_NAMES].sort()).toEqual(
      Object.values(feed)
        .map((m) => m.path.split('/').pop())
        .sort(),
    );
    expect(parseGrpcCallers('gateway=WatchSessionChanges,TouchSessions', `gateway=${'a'.repeat(64)}`).problems).toEqual([]);
  });
});
