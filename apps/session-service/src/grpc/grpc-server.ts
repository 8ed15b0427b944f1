import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { SessionServiceConfig } from '@session/config';
import { PROTO_LOADER_OPTIONS, loadSessionPackage, type SessionFeedServiceHandlers, type SessionServiceHandlers } from '@session/proto';
import { protoPath as healthProtoPath, type HealthImplementation } from 'grpc-health-check';
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger';
import {
  callerAuthInterceptor,
  CallerPolicy,
  observeCallerDecisions,
  undecodableRequestInterceptor,
  withGuardedDecoders,
  type CallerDecision,
} from '@session/grpc-server';
import { withLinkedDescriptors } from './reflection-descriptors';

export interface GrpcServerOptions {
  /** Who may call what (config.grpc.callers); empty serves loopback peers only. */
  readonly callers: SessionServiceConfig['grpc']['callers'];
  /** Serve server reflection (over the session service and health), for grpcurl. */
  readonly reflection: boolean;
  /** Told of every decision on a non-health call (logs, metrics). */
  readonly onCallerDecision?: (decision: CallerDecision, rpc: string, peer: string) => void;
}

/** The options main.ts (and the in-process test service) build the server with: configuration plus logging and metrics. */
export function grpcServerOptions(grpcConfig: SessionServiceConfig['grpc'], logger: Logger, registry: Registry): GrpcServerOptions {
  return { callers: grpcConfig.callers, reflection: grpcConfig.reflection, onCallerDecision: observeCallerDecisions(logger, registry) };
}

export interface ServiceHandlers {
  readonly session: SessionServiceHandlers;
  readonly feed: SessionFeedServiceHandlers;
}

/**
 * The gRPC server with the session service, its change feed and grpc.health.v1, every call
 * but health checks passing the caller interceptor first; server reflection (over both session.v1
 * services) only when configured, so grpcurl can describe the API.
 */
export function createGrpcServer(handlers: ServiceHandlers, health: HealthImplementation, options: GrpcServerOptions): grpc.Server {
  const { packageDefinition, proto } = loadSessionPackage();
  const interceptor = callerAuthInterceptor(new CallerPolicy(options.callers), options.onCallerDecision ?? (() => undefined));
  // Callers first: an unknown caller learns nothing, not even whether its request decodes.
  const server = new grpc.Server({ interceptors: [interceptor, undecodableRequestInterceptor()] });
  server.addService(withGuardedDecoders(proto.session.v1.SessionService.service), handlers.session);
  server.addService(withGuardedDecoders(proto.session.v1.SessionFeedService.service), handlers.feed);
  health.addToServer(server);
  if (options.reflection) {
    const healthDefinition = loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
    new ReflectionService(withLinkedDescriptors({ ...packageDefinition, ...healthDefinition })).addToServer(server);
  }
  return server;
}

// Shared with the accounts service; re-exported for this service's callers.
export { bindServer } from '@session/grpc-server';
