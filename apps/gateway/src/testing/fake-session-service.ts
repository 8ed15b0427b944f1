import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY, loadSessionPackage, SESSION_SERVICE_NAME, type SessionServiceHandlers } from '@session/proto';
import { HealthImplementation } from 'grpc-health-check';

/** What a method does next: answer, fail with a status (and x-error-code), or hang past the deadline. */
export type Behaviour = { reply: object } | { fail: grpc.status; message?: string; errorCode?: string } | { hangMs: number; reply: object };

export interface FakeSessionService {
  readonly address: string;
  readonly health: HealthImplementation;
  /** Sets what `method` (e.g. 'ValidateSession') does for the following calls. */
  on(method: keyof SessionServiceHandlers & string, behaviour: Behaviour): void;
  /** Metadata of the last call to each method. */
  readonly lastMetadata: Map<string, grpc.Metadata>;
  stop(): void;
}

/**
 * A real gRPC server speaking session.v1 whose answers a spec scripts: for
 * failures the real service cannot be made to produce on demand (deadline,
 * internal errors, odd statuses). It tests the gateway's side of the wire.
 */
export async function startFakeSessionService(): Promise<FakeSessionService> {
  const { proto } = loadSessionPackage();
  const behaviours = new Map<string, Behaviour>();
  const lastMetadata = new Map<string, grpc.Metadata>();
  const server = new grpc.Server();
  const health = new HealthImplementation({ '': 'SERVING', [SESSION_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);

  const handler = (method: string) => (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    lastMetadata.set(method, call.metadata);
    const b = behaviours.get(method) ?? { fail: grpc.status.UNIMPLEMENTED, message: `${method} not scripted` };
    if ('fail' in b) {
      const trailer = new grpc.Metadata();
      if (b.errorCode) trailer.set(ERROR_CODE_METADATA_KEY, b.errorCode);
      return callback({ code: b.fail, details: b.message ?? 'scripted failure', metadata: trailer });
    }
    if ('hangMs' in b) {
      setTimeout(() => callback(null, b.reply), b.hangMs);
      return;
    }
    return callback(null, b.reply);
  };
  const methods = Object.keys(proto.session.v1.SessionService.service);
  server.addService(proto.session.v1.SessionService.service, Object.fromEntries(methods.map((m) => [m, handler(m)])));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    health,
    lastMetadata,
    on: (method, behaviour) => behaviours.set(method, behaviour),
    stop: () => server.forceShutdown(),
  };
}
