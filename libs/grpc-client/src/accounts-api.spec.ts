import * as grpc from '@grpc/grpc-js';
import { loadAccountsPackage, REQUEST_ID_METADATA_KEY } from '@session/proto';
import { AccountsApi, createAccountsClient } from './accounts-api';
import { API_KEY_METADATA } from './api-key';
import { rpcMethodKey } from './rpc-api';

describe('AccountsApi over a real gRPC port', () => {
  const service = loadAccountsPackage().proto.accounts.v1.AccountsService.service;
  const received: { rpc: string; key: unknown; requestId: unknown; email?: string }[] = [];
  let server: grpc.Server;
  let address: string;

  beforeAll(async () => {
    server = new grpc.Server();
    const handler = (rpc: string) => (call: grpc.ServerUnaryCall<{ email?: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      received.push({
        rpc,
        key: call.metadata.get(API_KEY_METADATA)[0],
        requestId: call.metadata.get(REQUEST_ID_METADATA_KEY)[0],
        email: call.request.email,
      });
      callback(
        null,
        rpc === 'ChangePassword'
          ? { revoked_count: 2 }
          : { token: 't2', account_id: 'acc-1', session: { session_id: 's-1', remember_me: true } },
      );
    };
    server.addService(service, { SignUp: handler('SignUp'), SignIn: handler('SignIn'), ChangePassword: handler('ChangePassword') });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  it('has one camelCase method per RPC of accounts.v1, sends the API key and request id, and decodes int64 as strings', async () => {
    const api = new AccountsApi(createAccountsClient({ address, apiKey: 'k'.repeat(40) }));
    expect(
      Object.keys(api)
        .filter((k) => typeof Reflect.get(api, k) === 'function')
        .sort(),
    ).toEqual(Object.keys(service).map(rpcMethodKey).sort());
    await expect(api.signIn({ email: 'a@b.co', password: 'p' }, { requestId: 'req-1' })).resolves.toMatchObject({
      token: 't2',
      account_id: 'acc-1',
      session: { session_id: 's-1', remember_me: true },
    });
    await expect(api.changePassword({})).resolves.toEqual({ revoked_count: '2' });
    expect(received[0]).toEqual({ rpc: 'SignIn', key: 'k'.repeat(40), requestId: 'req-1', email: 'a@b.co' });
    expect(received[1].rpc).toBe('ChangePassword');
    api.close();
  });
});
