import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

/** Status names of grpc.health.v1.HealthCheckResponse.ServingStatus. */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

type HealthClient = grpc.Client & {
  Check(
    request: { service: string },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (err: grpc.ServiceError | null, res?: { status: ServingStatus }) => void,
  ): grpc.ClientUnaryCall;
};

const HealthClientCtor = grpc.makeClientConstructor(healthService as never, 'grpc.health.v1.Health');

/**
 * A grpc.health.v1 client sharing the given client's channel, so readiness
 * checks reuse the same connection as real calls.
 */
export function createHealthClient(client: grpc.Client): HealthClient {
  return new HealthClientCtor(client.getChannel().getTarget(), grpc.credentials.createInsecure(), {
    channelOverride: client.getChannel(),
  }) as unknown as HealthClient;
}

export function checkHealth(health: HealthClient, service = '', timeoutMs = 1_000): Promise<ServingStatus> {
  return new Promise((resolve, reject) => {
    health.Check({ service }, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) =>
      err ? reject(err) : resolve(res?.status ?? 'UNKNOWN'),
    );
  });
}
