import { AccountsApi, createAccountsClient } from '@session/grpc-client';
import fp from 'fastify-plugin';
import { meterSessionApi } from '../../sessions/metered-session-api';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sign-up, sign-in and password changes: gRPC to the accounts service, with deadlines. */
    accountsApi: AccountsApi;
  }
}

/**
 * One channel for the app's lifetime, like the session service's. Not part of /readyz: while the
 * accounts service is down, sign-in answers 503 but every existing session keeps working.
 */
export default fp(
  async (fastify) => {
    const { config, metrics } = fastify;
    const client = createAccountsClient({ address: config.accountsServiceUrl, apiKey: config.grpcApiKey });
    const api = meterSessionApi(new AccountsApi(client, config.accountsDeadlineMs), (method, code) =>
      metrics.grpcCalls.inc({ method, code }),
    );
    fastify.decorate('accountsApi', api);
    fastify.addHook('onClose', async () => api.close());
  },
  { name: 'accounts-client', dependencies: ['config', 'metrics'] },
);
