import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The per-RPC metrics every gRPC service of the platform exposes under the same names
 * (grpc_server_handled_total, grpc_server_handling_seconds), so one dashboard reads them all.
 * Labelled children are cached: the hot path does no label lookup.
 */
export class RpcMetrics {
  private readonly handled: Counter<'method' | 'code'>;
  private readonly handling: Histogram<'method'>;
  private readonly children = new Map<string, { inc(): void; observe(v: number): void }>();

  constructor(registry: Registry, buckets: readonly number[]) {
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'RPCs completed, by method and gRPC status code',
      labelNames: ['method', 'code'],
      registers: [registry],
    });
    this.handling = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'RPC handling time',
      labelNames: ['method'],
      buckets: [...buckets],
      registers: [registry],
    });
  }

  rpcHandled(method: string, code: string, seconds: number): void {
    this.child(`h|${method}|${code}`, () => this.handled.labels(method, code)).inc();
    this.child(`d|${method}`, () => this.handling.labels(method)).observe(seconds);
  }

  private child(key: string, make: () => { inc?(): void; observe?(v: number): void }): { inc(): void; observe(v: number): void } {
    let found = this.children.get(key);
    if (!found) {
      found = make() as { inc(): void; observe(v: number): void };
      this.children.set(key, found);
    }
    return found;
  }
}
