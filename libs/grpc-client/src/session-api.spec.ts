import * as grpc from '@grpc/grpc-js';
import { loadSessionPackage, REQUEST_ID_METADATA_KEY } from '@session/proto';
import { createSessionClient, createSessionFeedClient } from './create-session-client';
import { rpcMethodKey, unaryRpcNames } from './rpc-api';
import { SessionApi, SessionFeedApi } from './session-api';

interface Received {
  rpc: string;
  request: unknown;
  requestId: grpc.MetadataValue | undefined;
  deadlineInMs: number;
}

/** A real grpc-js server for both services: every RPC records what it got and answers as `answer` says. */
async function startServer(answer: (rpc: string, request: unknown) => { reply: object } | { fail: grpc.status } | 'hang') {
  const { proto } = loadSessionPackage();
  const received: Received[] = [];
  const server = new grpc.Server();
  const handlers = (definition: grpc.ServiceDefinition) =>
    Object.fromEntries(
      unaryRpcNames(definition).map((rpc) => [
        rpc,
        (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
          const deadline = call.getDeadline();
          received.push({
            rpc,
            request: call.request,
            requestId: call.metadata.get(REQUEST_ID_METADATA_KEY)[0],
            deadlineInMs: Number(deadline) - Date.now(),
          });
          const a = answer(rpc, call.request);
          if (a === 'hang') return;
          if ('fail' in a) callback({ code: a.fail, details: `${rpc} scripted to fail` });
          else callback(null, a.reply);
        },
      ]),
    );
  server.addService(proto.session.v1.SessionService.service, handlers(proto.session.v1.SessionService.service));
  server.addService(proto.session.v1.SessionFeedService.service, handlers(proto.session.v1.SessionFeedService.service));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, received, stop: () => server.forceShutdown() };
}

const ownMethods = (api: object) =>
  Object.keys(api)
    .filter((key) => typeof Reflect.get(api, key) === 'function')
    .sort();

describe('SessionApi and SessionFeedApi over a real gRPC port', () => {
  const { proto } = loadSessionPackage();
  let server: Awaited<ReturnType<typeof startServer>>;
  let answer: Parameters<typeof startServer>[0] = () => ({ reply: {} });

  beforeAll(async () => {
    server = await startServer((rpc, request) => answer(rpc, request));
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.received.length = 0;
    answer = () => ({ reply: {} });
  });

  it('has one camelCase method per unary RPC of each service, taken from the loaded definition', () => {
    const api = new SessionApi(createSessionClient({ address: server.address }));
    const feed = new SessionFeedApi(createSessionFeedClient({ address: server.address }));
    expect(ownMethods(api)).toEqual(Object.keys(proto.session.v1.SessionService.service).map(rpcMethodKey).sort());
    expect(ownMethods(api)).toEqual(expect.arrayContaining(['createSession', 'validateSession', 'revokeUserSessions']));
    // The change feed streams: it stays a raw client call and gets no promise method.
    expect(ownMethods(feed)).toEqual(['touchSessions']);
    api.close();
    feed.close();
  });

  it('sends the request with its request id and a deadline, and resolves with the decoded response', async () => {
    answer = (rpc) => (rpc === 'ValidateSession' ? { reply: { session: { session_id: 's-1', version: 3 } } } : { reply: {} });
    const api = new SessionApi(createSessionClient({ address: server.address }), 4_000);
    const response = await api.validateSession({ token: 'a-token' }, { requestId: 'req-7' });
    // int64 fields decode as strings (the loader's longs option).
    expect(response.session).toMatchObject({ session_id: 's-1', version: '3' });
    expect(server.received).toEqual([
      {
        rpc: 'ValidateSession',
        request: expect.objectContaining({ token: 'a-token' }),
        requestId: 'req-7',
        deadlineInMs: expect.any(Number),
      },
    ]);
    expect(server.received[0].deadlineInMs).toBeGreaterThan(3_000);
    expect(server.received[0].deadlineInMs).toBeLessThanOrEqual(4_000);
    api.close();
  });

  it('reaches every unary RPC by its own path and tells observers each outcome', async () => {
    const api = new SessionApi(createSessionClient({ address: server.address }));
    const feed = new SessionFeedApi(createSessionFeedClient({ address: server.address }));
    answer = (rpc) => (rpc === 'RevokeSession' ? { fail: grpc.status.NOT_FOUND } : { reply: {} });
    const outcomes: [string, grpc.status][] = [];
    api.observe((rpc, code) => outcomes.push([rpc, code]));
    feed.observe((rpc, code) => outcomes.push([rpc, code]));
    for (const [target, definition] of [
      [api, proto.session.v1.SessionService.service],
      [feed, proto.session.v1.SessionFeedService.service],
    ] as const) {
      for (const rpc of unaryRpcNames(definition)) {
        const method: (request: object) => Promise<unknown> = Reflect.get(target, rpcMethodKey(rpc));
        await method({}).catch((error: grpc.ServiceError) => expect(error.code).toBe(grpc.status.NOT_FOUND));
      }
    }
    const rpcs = [...unaryRpcNames(proto.session.v1.SessionService.service), 'TouchSessions'];
    expect(server.received.map((r) => r.rpc)).toEqual(rpcs);
    expect(outcomes).toEqual(rpcs.map((rpc) => [rpc, rpc === 'RevokeSession' ? grpc.status.NOT_FOUND : grpc.status.OK]));
    api.close();
    feed.close();
  });

  it('rejects with DEADLINE_EXCEEDED when the server does not answer in time', async () => {
    answer = () => 'hang';
    const feed = new SessionFeedApi(createSessionFeedClient({ address: server.address }));
    const codes: grpc.status[] = [];
    feed.observe((_rpc, code) => codes.push(code));
    const started = Date.now();
    await expect(feed.touchSessions({ session_ids: ['s-1'] }, { timeoutMs: 200 })).rejects.toMatchObject({
      code: grpc.status.DEADLINE_EXCEEDED,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(codes).toEqual([grpc.status.DEADLINE_EXCEEDED]);
    expect(server.received).toEqual([expect.objectContaining({ rpc: 'TouchSessions', request: { session_ids: ['s-1'] } })]);
    feed.close();
  });
});
