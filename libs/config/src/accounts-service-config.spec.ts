import { createHash } from 'node:crypto';
import { loadAccountsServiceConfig } from './accounts-service-config';
import { ConfigError } from './load-env';

const hash = createHash('sha256').update('k'.repeat(40)).digest('hex');

describe('loadAccountsServiceConfig', () => {
  it('defaults: loopback 50061, metrics 9466, the session service database, 5/20 failures per 15 min, 10 min re-authentication, two hashes at once', () => {
    const config = loadAccountsServiceConfig({});
    expect(config.grpc).toMatchObject({ host: '127.0.0.1', port: 50061, callers: [], reflection: false });
    expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9466 });
    expect(config.accounts).toEqual({
      reauthWindowMs: 600_000,
      signInAccountLimit: 5,
      signInAddressLimit: 20,
      signInWindowMs: 900_000,
      hashConcurrency: 2,
    });
    expect(config.sessionService).toEqual({ url: '127.0.0.1:50051', apiKey: undefined, deadlineMs: 2_000 });
    expect(config.mongo).toMatchObject({ dbName: 'sessions', embedded: true, uri: 'mongodb://127.0.0.1:27017/' });
    expect(Object.isFrozen(config.accounts)).toBe(true);
  });

  it('lists every bad variable at once', () => {
    const env = {
      ACCOUNTS_SERVICE_URL: 'nohost',
      ACCOUNTS_HASH_CONCURRENCY: '0',
      ACCOUNTS_SIGNIN_WINDOW: 'soon',
      GRPC_API_KEY: 'short',
      ACCOUNTS_METRICS_PORT: '70000',
    };
    expect(() => loadAccountsServiceConfig(env)).toThrow(ConfigError);
    const message = (() => {
      try {
        loadAccountsServiceConfig(env);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    for (const name of Object.keys(env)) expect(message).toContain(name);
  });

  it("knows the accounts RPCs, not the session service's, in GRPC_CALLERS", () => {
    expect(
      loadAccountsServiceConfig({ GRPC_CALLERS: 'gateway=SignUp,SignIn,ChangePassword', GRPC_CALLER_KEY_HASHES: `gateway=${hash}` }).grpc
        .callers,
    ).toEqual([{ name: 'gateway', rpcs: ['SignUp', 'SignIn', 'ChangePassword'], keyHashes: [hash] }]);
    expect(() => loadAccountsServiceConfig({ GRPC_CALLERS: 'gateway=SignIn,BindUser', GRPC_CALLER_KEY_HASHES: `gateway=${hash}` })).toThrow(
      /unknown RPCs BindUser/,
    );
  });

  it('refuses a non-loopback listen address without callers, and a window under a second', () => {
    expect(() => loadAccountsServiceConfig({ ACCOUNTS_SERVICE_URL: '0.0.0.0:50061' })).toThrow(
      /GRPC_CALLERS and GRPC_CALLER_KEY_HASHES must be set/,
    );
    expect(() => loadAccountsServiceConfig({ ACCOUNTS_SIGNIN_WINDOW: '500ms' })).toThrow(/ACCOUNTS_SIGNIN_WINDOW: must be at least 1s/);
  });
});
