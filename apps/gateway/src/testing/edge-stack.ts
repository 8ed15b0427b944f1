import { loadGatewayConfig } from '@session/config';
import { startGateway } from '@session/testing';
import { buildApp } from '../app';
import { startGatewayStack, type GatewayStack, type StackOptions } from './gateway-stack';

/** A gateway on real loopback ports: the public one and the operations (metrics) one. */
export interface ListeningGateway {
  readonly url: string;
  readonly metricsUrl: string;
  close(): Promise<void>;
}

export interface EdgeStack {
  /** The database and session service (and an inject-only gateway) the listening gateways call. */
  readonly stack: GatewayStack;
  /** The gateway app built in this process, listening like main.ts does, for outside HTTP clients. */
  listen(env?: Record<string, string>): Promise<ListeningGateway>;
  /** The built gateway bundle as its own process: its event loop is not shared with the spec's clients. */
  spawn(env?: Record<string, string>): Promise<ListeningGateway>;
  close(): Promise<void>;
}

/** A real database and session service (its variables in `options.serviceEnv`), and gateways in front of it that specs reach only over HTTP. */
export async function startEdgeStack(options: Pick<StackOptions, 'serviceEnv'> = {}): Promise<EdgeStack> {
  const stack = await startGatewayStack(options);
  const gateways: ListeningGateway[] = [];
  const track = (gateway: ListeningGateway) => {
    gateways.push(gateway);
    return gateway;
  };
  return {
    stack,
    async listen(env = {}) {
      const config = loadGatewayConfig({ SESSION_SERVICE_URL: stack.service.address, ...env });
      const app = await buildApp(config, { webRoot: null });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const metricsPort = await app.listenMetrics('127.0.0.1', 0);
      const { port } = app.server.address() as { port: number };
      let closing: Promise<void> | undefined;
      // Idempotent: a spec may close one early, and the stack closes every gateway at the end.
      const close = () => (closing ??= app.close());
      return track({ url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, close });
    },
    async spawn(env = {}) {
      const gateway = await startGateway({ sessionServiceUrl: stack.service.address, env });
      return track({ url: gateway.url, metricsUrl: gateway.metricsUrl, close: async () => void (await gateway.stop('SIGKILL')) });
    },
    async close() {
      for (const gateway of gateways) await gateway.close();
      await stack.close();
    },
  };
}

/** gRPC calls the gateway made to the session service, read from its metrics listener (all codes unless one is named). */
export async function grpcCalls(metricsUrl: string, method: string, code?: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const pattern = new RegExp(`^grpc_client_calls_total\\{method="${method}",code="${code ?? '[A-Z_]+'}"\\} (\\d+)$`, 'gm');
  return [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** The q-quantile (0..1) of some measurements, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
