// Starts the built stack (embedded database, session service, accounts service, gateway) on
// free loopback ports for an outside fuzzer, prints one JSON line
// {"ready":true,"url":...,"token":...} once it answers, and stops them all
// on SIGTERM or SIGINT. Throttling limits are high: a fuzzer sends thousands
// of requests with bad tokens from one address.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'fuzz-db-'));
const children = [];

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

function start(command, args, env, pattern) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk) => {
      process.stderr.write(chunk);
      buffer += chunk;
      const match = buffer.match(pattern);
      if (match) resolve(match[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args[0] ?? command} exited with ${code} before it was ready`)));
  });
}

/** BindUser is gRPC-only (trusted services); the proto is loaded with the options the apps use. */
async function bindUser(address, token, userId) {
  const require = createRequire(import.meta.url);
  const grpc = require('@grpc/grpc-js');
  const loader = require('@grpc/proto-loader');
  const definition = loader.loadSync('session/v1/session.proto', {
    includeDirs: [join(root, 'protos')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const { SessionService } = grpc.loadPackageDefinition(definition).session.v1;
  const client = new SessionService(address, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      client.BindUser({ token, user_id: userId }, { deadline: Date.now() + 5_000 }, (err, res) => (err ? reject(err) : resolve(res.token))),
    );
  } finally {
    client.close();
  }
}

async function stop() {
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

try {
  const dbPort = await freePort();
  await start(join(root, 'dist', 'tools', 'embedded-db'), ['-data', dataDir, '-listen', `127.0.0.1:${dbPort}`], {}, /mongodb:\/\/\S+/);
  const serviceLine = await start(
    process.execPath,
    [join(root, 'dist', 'apps', 'session-service', 'main.js')],
    { MONGODB_URI: `mongodb://127.0.0.1:${dbPort}/`, MONGODB_DB: 'fuzz', SESSION_SERVICE_URL: '127.0.0.1:0', METRICS_PORT: '0' },
    /\{.*"msg":"session service listening".*\}/,
  );
  const sessionServiceUrl = `127.0.0.1:${JSON.parse(serviceLine).port}`;
  // Its failure throttles high too: the fuzzer's sign-ins all come from one address.
  const accountsLine = await start(
    process.execPath,
    [join(root, 'dist', 'apps', 'accounts-service', 'main.js')],
    {
      MONGODB_URI: `mongodb://127.0.0.1:${dbPort}/`,
      MONGODB_DB: 'fuzz',
      SESSION_SERVICE_URL: sessionServiceUrl,
      ACCOUNTS_SERVICE_URL: '127.0.0.1:0',
      ACCOUNTS_METRICS_PORT: '0',
      ACCOUNTS_SIGNIN_ACCOUNT_LIMIT: '100000',
      ACCOUNTS_SIGNIN_ADDRESS_LIMIT: '100000',
    },
    /\{.*"msg":"accounts service listening".*\}/,
  );
  const gatewayLine = await start(
    process.execPath,
    [join(root, 'dist', 'apps', 'gateway', 'main.js')],
    {
      SESSION_SERVICE_URL: sessionServiceUrl,
      ACCOUNTS_SERVICE_URL: `127.0.0.1:${JSON.parse(accountsLine).port}`,
      GATEWAY_PORT: '0',
      GATEWAY_METRICS_PORT: '0',
      CREATE_RATE_LIMIT: '100000',
      INVALID_TOKEN_LIMIT: '100000',
      SIGN_IN_RATE_LIMIT: '100000',
    },
    /\{.*"msg":"gateway listening".*\}/,
  );
  const { url } = JSON.parse(gatewayLine);
  const created = await fetch(`${url}/api/sessions`, { method: 'POST' });
  const { token } = await created.json();
  // A signed-in session, so the user-only routes (GET /api/sessions, DELETE /api/sessions/{id}) get past 403.
  const bound = await bindUser(`127.0.0.1:${JSON.parse(serviceLine).port}`, token, 'fuzz-user');
  console.log(JSON.stringify({ ready: true, url, token: bound }));
} catch (err) {
  console.error(String(err));
  await stop();
}
