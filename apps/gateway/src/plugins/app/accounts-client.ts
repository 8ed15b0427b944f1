import { status } from '@grpc/grpc-js';
import { AccountsApi, createAccountsClient } from '@session/grpc-client';
import type { AccountsServiceClient } from '@session/proto';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sign-up, sign-in and password changes: gRPC to the accounts service, with deadlines. */
    accountsApi: AccountsApi;
  }
}

export interface AccountsClientOptions {
  /** A ready-made client (tests); by default one is created from ACCOUNTS_SERVICE_URL. */
  client?: AccountsServiceClient;
}

/**
 * One channel for the app's lifetime, like the session service's. Not part of /readyz: while the
 * accounts service is down, sign-in answers 503 but every existing session keeps working.
 */
export default fp<AccountsClientOptions>(
  async (fastify, options) => {
    const { config, metrics } = fastify;
    const client = options.client ?? createAccountsClient({ address: config.accountsServiceUrl, apiKey: config.grpcApiKey });
    const api = new AccountsApi(client, config.accountsDeadlineMs).observe((method, code) => metrics.grpcCalls.inc({ method, code: status[code] ?? 'UNKNOWN' }));
    fastify.decorate('accountsApi', api);
    fastify.addHook('onClose', async () => api.close());
  },
  { name: 'accounts-client', dependencies: ['config', 'metrics'] },
);
