// The processes `npm start` runs, in start order. The services' commands are
// read from their Nx `serve` targets, so `nx run <app>:serve` and `npm start`
// cannot drift apart; the database runs its binary directly (its Nx target
// wraps the same command in serve-embedded-db.mjs).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the embedded database keeps its files: EMBEDDED_DB_DATA_DIR (relative to the repository) or ./.data/db. */
export function embeddedDbDataDir(env = process.env) {
  const dir = env.EMBEDDED_DB_DATA_DIR;
  if (!dir) return join(root, '.data', 'db');
  return isAbsolute(dir) ? dir : join(root, dir);
}

export function embeddedDbPart(env = process.env) {
  const port = env.EMBEDDED_DB_PORT || '27017';
  return {
    name: 'embedded-db',
    build: ['embedded-db'],
    command: join(root, 'dist', 'tools', 'embedded-db'),
    args: ['-data', embeddedDbDataDir(env), '-listen', `127.0.0.1:${port}`],
    ready: { tcp: Number(port) },
  };
}

function serveCommand(project, env) {
  const { options } = JSON.parse(readFileSync(join(root, 'apps', project, 'project.json'), 'utf8')).targets.serve;
  const [command, ...args] = options.command.split(/\s+/);
  // `node` is the Node.js running us, whatever PATH holds. The serve target's own variables
  // (GRPC_REFLECTION for grpcurl in development) apply unless the caller's environment sets them.
  return { command: command === 'node' ? process.execPath : command, args, env: { ...options.env, ...env } };
}

function portOf(address, fallback) {
  const match = /:(\d+)$/.exec(address ?? '');
  return Number(match?.[1] ?? fallback);
}

/** The parts up to and including `last` (embedded-db, session-service, accounts-service or gateway). */
export function stackParts(last = 'gateway', env = process.env) {
  const gatewayPort = Number(env.GATEWAY_PORT || 3000);
  const parts = [
    ...(env.MONGODB_URI ? [] : [embeddedDbPart(env)]),
    {
      name: 'session-service',
      build: ['session-service'],
      ...serveCommand('session-service', env),
      ready: { tcp: portOf(env.SESSION_SERVICE_URL, 50051) },
    },
    // Sign-up and sign-in: the gateway's accounts routes call it, and it calls the session service.
    {
      name: 'accounts-service',
      build: ['accounts-service'],
      ...serveCommand('accounts-service', env),
      ready: { tcp: portOf(env.ACCOUNTS_SERVICE_URL, 50061) },
    },
    // The gateway serves the built web app.
    {
      name: 'gateway',
      build: ['gateway', 'web'],
      ...serveCommand('gateway', env),
      ready: { http: `http://127.0.0.1:${gatewayPort}/readyz` },
    },
  ];
  const names = ['embedded-db', 'session-service', 'accounts-service', 'gateway'];
  if (!names.includes(last)) throw new Error(`unknown part "${last}"; one of: ${names.join(', ')}`);
  const chosen = parts.filter((p) => names.indexOf(p.name) <= names.indexOf(last));
  if (!chosen.length) throw new Error('MONGODB_URI is set, so there is no embedded database to start');
  return chosen;
}
