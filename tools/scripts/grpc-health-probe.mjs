// Minimal grpc.health.v1 probe for container health checks (the session
// service image has Node but no grpc_health_probe binary):
//   node grpc-health-probe.mjs [host:port] [service]
// Exits 0 when the service reports SERVING, 1 otherwise (down, NOT_SERVING, timeout).
import grpc from '@grpc/grpc-js';
import health from 'grpc-health-check';

const address = process.argv[2] ?? '127.0.0.1:50051';
const serviceName = process.argv[3] ?? '';
const TIMEOUT_MS = 3_000;

const HealthClient = grpc.makeGenericClientConstructor(health.service, 'Health');
const client = new HealthClient(address, grpc.credentials.createInsecure());

client.Check({ service: serviceName }, { deadline: Date.now() + TIMEOUT_MS }, (err, response) => {
  client.close();
  const status = err ? `error: ${err.details || err.message}` : response.status;
  console.log(`${address} ${serviceName || '(server)'}: ${status}`);
  process.exit(!err && response.status === 'SERVING' ? 0 : 1);
});
