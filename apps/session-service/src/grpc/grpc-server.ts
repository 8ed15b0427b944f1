import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { PROTO_LOADER_OPTIONS, loadSessionPackage, type SessionServiceHandlers } from '@session/proto';
import { protoPath as healthProtoPath, type HealthImplementation } from 'grpc-health-check';

export const SESSION_SERVICE_NAME = 'session.v1.SessionService';

/**
 * The gRPC server with the session service, grpc.health.v1 and server
 * reflection (over both), so grpcurl and grpc_health_probe work unchanged.
 */
export function createGrpcServer(handlers: SessionServiceHandlers, health: HealthImplementation): grpc.Server {
  const { packageDefinition, proto } = loadSessionPackage();
  const server = new grpc.Server();
  server.addService(proto.session.v1.SessionService.service, handlers);
  health.addToServer(server);
  const healthDefinition = loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
  new ReflectionService({ ...packageDefinition, ...healthDefinition }).addToServer(server);
  return server;
}

/** Binds `host:port` (port 0 picks a free one) and resolves with the bound port. */
export function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
}
