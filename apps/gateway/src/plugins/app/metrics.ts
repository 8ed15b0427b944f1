import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface GatewayMetrics {
  readonly registry: Registry;
  /** One count per gRPC call to the session service, by method and status name. */
  readonly grpcCalls: Counter<'method' | 'code'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
    /** Starts the operations listener serving GET /metrics; resolves with its port. Closed with the app. */
    listenMetrics(host: string, port: number): Promise<number>;
  }
  interface FastifyRequest {
    startedAt: number;
  }
}

// Labels use the route pattern, never the raw URL: ids in paths would explode the series count.
const routeLabel = (request: FastifyRequest) => request.routeOptions.url ?? '<unmatched>';

/** Prometheus metrics on a registry of this app's own (several apps may share a test process). */
export default fp(
  async (fastify) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const grpcCalls = new Counter({
      name: 'grpc_client_calls_total',
      help: 'gRPC calls to the session service, by method and status',
      labelNames: ['method', 'code'] as const,
      registers: [registry],
    });
    fastify.decorate('metrics', { registry, grpcCalls });
    fastify.decorateRequest('startedAt', 0);

    // Callback style: an async hook costs a promise and a microtask on every request.
    fastify.addHook('onRequest', (request, _reply, done) => {
      request.startedAt = performance.now();
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = routeLabel(request);
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      duration.observe({ method: request.method, route }, (performance.now() - request.startedAt) / 1000);
      done();
    });

    // Served on a listener of its own (GATEWAY_METRICS_HOST/PORT, loopback by default), never on the
    // public port: series names, routes and counts are operational detail, not for every visitor.
    let ops: FastifyInstance | null = null;
    fastify.decorate('listenMetrics', async (host: string, port: number) => {
      ops = Fastify({ logger: false });
      ops.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
      await ops.listen({ host, port });
      return (ops.server.address() as AddressInfo).port;
    });
    fastify.addHook('onClose', async () => {
      await ops?.close();
    });
  },
  { name: 'metrics' },
);
