import * as grpc from '@grpc/grpc-js';
import { loadSessionPackage, type SessionFeedServiceClient, type SessionServiceClient } from '@session/proto';
import { apiKeyInterceptor } from './api-key';

export interface SessionClientOptions {
  /** `host:port`, or `dns:///name:port` to spread calls over every address the name resolves to. */
  address: string;
  /** Balance calls over all resolved addresses (several session-service replicas) instead of the first. */
  roundRobin?: boolean;
  credentials?: grpc.ChannelCredentials;
  /** This service's API key for the session service; sent on every call when set. */
  apiKey?: string;
}

type ClientConstructor<Client> = new (address: string, credentials: grpc.ChannelCredentials, options: grpc.ClientOptions) => Client;

/**
 * One long-lived channel per process: keepalive pings notice a dead peer
 * quickly, and grpc-js reconnects by itself with backoff when it comes back.
 */
export function createGrpcClient<Client>(Constructor: ClientConstructor<Client>, options: SessionClientOptions): Client {
  const channelOptions: grpc.ChannelOptions = {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 5_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 2_000,
  };
  if (options.roundRobin) {
    channelOptions['grpc.service_config'] = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });
  }
  return new Constructor(options.address, options.credentials ?? grpc.credentials.createInsecure(), {
    ...channelOptions,
    interceptors: options.apiKey ? [apiKeyInterceptor(options.apiKey)] : [],
  });
}

export function createSessionClient(options: SessionClientOptions): SessionServiceClient {
  return createGrpcClient(loadSessionPackage().proto.session.v1.SessionService, options);
}

/** A SessionFeedService client with the same channel settings (wrap it in SessionFeedApi for TouchSessions). */
export function createSessionFeedClient(options: SessionClientOptions): SessionFeedServiceClient {
  return createGrpcClient(loadSessionPackage().proto.session.v1.SessionFeedService, options);
}
