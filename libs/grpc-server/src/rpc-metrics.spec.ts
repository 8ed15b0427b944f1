import { Registry } from 'prom-client';
import { RpcMetrics } from './rpc-metrics';

describe('RpcMetrics', () => {
  it('counts each RPC by method and code and observes its time by method', async () => {
    const registry = new Registry();
    const metrics = new RpcMetrics(registry, [0.01, 0.1]);
    metrics.rpcHandled('ValidateSession', 'OK', 0.005);
    metrics.rpcHandled('ValidateSession', 'OK', 0.05);
    metrics.rpcHandled('ValidateSession', 'NOT_FOUND', 0.2);

    const handled = await registry.getSingleMetric('grpc_server_handled_total')!.get();
    const counts = Object.fromEntries(handled.values.map((v) => [`${v.labels.method}/${v.labels.code}`, v.value]));
    expect(counts).toEqual({ 'ValidateSession/OK': 2, 'ValidateSession/NOT_FOUND': 1 });

    const text = await registry.metrics();
    expect(text).toContain('grpc_server_handling_seconds_bucket{le="0.01",method="ValidateSession"} 1');
    expect(text).toContain('grpc_server_handling_seconds_bucket{le="0.1",method="ValidateSession"} 2');
    expect(text).toContain('grpc_server_handling_seconds_count{method="ValidateSession"} 3');
  });
});
