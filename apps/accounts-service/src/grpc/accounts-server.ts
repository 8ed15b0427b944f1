import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { AccountsServiceConfig } from '@session/config';
import { callerAuthInterceptor, CallerPolicy, observeCallerDecisions } from '@session/grpc-server';
import { loadAccountsPackage, PROTO_LOADER_OPTIONS, type AccountsServiceHandlers } from '@session/proto';
import { protoPath as healthProtoPath, type HealthImplementation } from 'grpc-health-check';
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger';

/**
 * accounts.v1 and grpc.health.v1 on one server. Every call but health checks passes the same
 * caller interceptor as the session service's (the gateway is the caller, by API key); reflection
 * only when configured.
 */
export function createAccountsServer(
  handlers: AccountsServiceHandlers,
  health: HealthImplementation,
  grpcConfig: AccountsServiceConfig['grpc'],
  logger: Logger,
  registry: Registry,
): grpc.Server {
  const interceptor = callerAuthInterceptor(new CallerPolicy(grpcConfig.callers), observeCallerDecisions(logger, registry));
  const server = new grpc.Server({ interceptors: [interceptor] });
  const { proto, packageDefinition } = loadAccountsPackage();
  server.addService(proto.accounts.v1.AccountsService.service, handlers);
  health.addToServer(server);
  if (grpcConfig.reflection) {
    new ReflectionService({ ...packageDefinition, ...loadSync(healthProtoPath, PROTO_LOADER_OPTIONS) }).addToServer(server);
  }
  return server;
}
