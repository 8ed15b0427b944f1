import { checkHealth, createHealthClient, createSessionClient, SessionApi, type ServingStatus } from '@session/grpc-client';
import { SESSION_SERVICE_NAME, type SessionServiceClient } from '@session/proto';
import fp from 'fastify-plugin';
import { meterSessionApi } from '../../sessions/metered-session-api';

declare module 'fastify' {
  interface FastifyInstance {
    /** The only way routes reach session data: gRPC to the session service, with deadlines. */
    sessionApi: SessionApi;
    /** grpc.health.v1 check over the same channel, for /readyz. */
    sessionServiceHealth(): Promise<ServingStatus>;
  }
}

export interface SessionClientOptions {
  /** A ready-made client (tests); by default one is created from the configuration. */
  client?: SessionServiceClient;
}

/**
 * One gRPC channel for the app's lifetime (grpc-js reconnects by itself),
 * closed when the app closes. Every call gets the GRPC_DEADLINE_MS deadline;
 * routes pass the request id.
 */
export default fp<SessionClientOptions>(
  async (fastify, options) => {
    const { config, metrics } = fastify;
    const client =
      options.client ??
      createSessionClient({
        address: config.sessionServiceUrl,
        roundRobin: config.grpcLoadBalancing === 'round_robin',
        apiKey: config.grpcApiKey,
      });
    const api = meterSessionApi(new SessionApi(client, config.grpcDeadlineMs), (method, code) => metrics.grpcCalls.inc({ method, code }));
    const health = createHealthClient(client);

    fastify.decorate('sessionApi', api);
    fastify.decorate('sessionServiceHealth', () => checkHealth(health, SESSION_SERVICE_NAME, config.grpcDeadlineMs));
    fastify.addHook('onClose', async () => api.close());
  },
  { name: 'session-client', dependencies: ['config', 'metrics'] },
);
