import { request } from 'node:http';
import { Registry } from 'prom-client';
import { ServiceMetrics } from './metrics';
import { startMetricsServer } from '@session/grpc-server';

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('metrics endpoint', () => {
  it('serves every service metric in Prometheus text format on /metrics only', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: true });
    metrics.sessionCreated();
    metrics.sessionValidated();
    metrics.sessionsRevoked(2);
    metrics.sessionsRevoked(0);
    metrics.sessionsSwept('orphan', 3);
    metrics.sessionsSwept('expired', 0);
    metrics.rpcHandled('ValidateSession', 'OK', 0.001);
    metrics.rpcHandled('ValidateSession', 'OK', 0.002);
    metrics.observeDbOperation('find_by_id', 0.0004);
    const server = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
    try {
      const res = await get(server.port, '/metrics?x=1');
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain');
      for (const line of [
        'sessions_created_total 1',
        'sessions_validated_total 1',
        'sessions_revoked_total 2',
        'sessions_swept_total{kind="orphan"} 3',
        'grpc_server_handled_total{method="ValidateSession",code="OK"} 2',
        'grpc_server_handling_seconds_count{method="ValidateSession"} 2',
        'db_operation_seconds_count{operation="find_by_id"} 1',
        'process_cpu_user_seconds_total',
      ]) {
        expect(res.body).toContain(line);
      }
      expect(res.body).not.toContain('kind="expired"');
      expect((await get(server.port, '/')).status).toBe(404);
      expect((await get(server.port, '/metrics', 'POST')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers 500 when collecting fails', async () => {
    const registry = new Registry();
    jest.spyOn(registry, 'metrics').mockRejectedValue(new Error('collector broke'));
    const server = await startMetricsServer(registry, '127.0.0.1', 0);
    try {
      expect((await get(server.port, '/metrics')).status).toBe(500);
    } finally {
      await server.close();
    }
  });

  it('fails to start on a port in use', async () => {
    const first = await startMetricsServer(new Registry(), '127.0.0.1', 0);
    await expect(startMetricsServer(new Registry(), '127.0.0.1', first.port)).rejects.toThrow(/EADDRINUSE/);
    await first.close();
  });
});
