import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  accountsServiceEnvSchema,
  gatewayEnvSchema,
  loadAccountsServiceConfig,
  loadGatewayConfig,
  loadSessionServiceConfig,
  sessionServiceEnvSchema,
} from '@session/config';
import { workspaceRoot } from '@session/testing';
import { parse } from 'yaml';
import { contextCopySources, parseDockerfile, type Stage, stagesForTarget } from './dockerfile';

interface ComposeService {
  image?: string;
  command?: string[];
  build?: { context: string; dockerfile?: string; target?: string };
  environment?: Record<string, unknown>;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
}

const root = workspaceRoot();
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;

// The schema each app validates its environment against: compose may only set these variables.
const apps = [
  { service: 'session-service', schema: sessionServiceEnvSchema, load: loadSessionServiceConfig },
  { service: 'accounts-service', schema: accountsServiceEnvSchema, load: loadAccountsServiceConfig },
  { service: 'gateway', schema: gatewayEnvSchema, load: loadGatewayConfig },
] as const;

// What an operator puts into .env, made as docs/grpc-callers.md says (openssl rand -base64 32; sha256sum).
const gatewayKey = randomBytes(32).toString('base64');
const accountsKey = randomBytes(32).toString('base64');
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const deployVariables: Record<string, string> = {
  GATEWAY_GRPC_KEY: gatewayKey,
  GATEWAY_GRPC_KEY_SHA256: sha256(gatewayKey),
  ACCOUNTS_GRPC_KEY: accountsKey,
  ACCOUNTS_GRPC_KEY_SHA256: sha256(accountsKey),
};
const INTERPOLATION = /\$\{([A-Z0-9_]+)(?::?[?-][^}]*)?\}/g;

/** The service's environment as compose would pass it, `${VAR:?...}` filled from deployVariables. */
function envOf(service: string): Record<string, string> {
  const env = (services[service].environment ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      typeof v === 'string' ? v.replace(INTERPOLATION, (_, name: string) => deployVariables[name] ?? '') : v,
    ]),
  ) as Record<string, string>;
}

/** Names compose must be given before it starts anything (`${NAME:?message}`). */
function requiredVariables(service: string): string[] {
  const env = (services[service].environment ?? {}) as Record<string, unknown>;
  return Object.values(env).flatMap((v) => (typeof v === 'string' ? [...v.matchAll(/\$\{([A-Z0-9_]+):\?[^}]+\}/g)].map((m) => m[1]) : []));
}

// The current Node.js LTS, on which both images build and run.
const NODE_IMAGE = 'node:24-bookworm-slim';

/** The service's Dockerfile and the stages its build target needs; the last one is the image that runs. */
function dockerfileOf(service: string): { path: string; context: string; stageNames: string[]; stages: Stage[] } {
  const build = services[service].build!;
  const context = resolve(root, build.context);
  const path = resolve(context, build.dockerfile ?? 'Dockerfile');
  const all = parseDockerfile(readFileSync(path, 'utf8'));
  const stages = build.target ? stagesForTarget(all, build.target) : all;
  return { path, context, stageNames: all.flatMap((s) => (s.name ? [s.name] : [])), stages };
}

describe('docker-compose.yml', () => {
  it('defines the database, the session service, the accounts service and the gateway', () => {
    expect(Object.keys(services).sort()).toEqual(['accounts-service', 'gateway', 'mongo', 'session-service']);
  });

  it('runs MongoDB 7 as a replica set on a named volume', () => {
    const mongo = services['mongo'];
    expect(mongo.image).toBe('mongo:7');
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0', '--bind_ip_all']));
    const volume = mongo.volumes?.[0]?.split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it.each(apps.map((a) => a.service))('%s builds from a Dockerfile that exists', (service) => {
    const { path, context } = dockerfileOf(service);
    expect(statSync(context).isDirectory()).toBe(true);
    expect(existsSync(path)).toBe(true);
  });

  it.each(apps.map((a) => a.service))('%s builds its own target stage of the Dockerfile', (service) => {
    const { stageNames } = dockerfileOf(service);
    expect(services[service].build?.target).toBe(service);
    expect(stageNames).toContain(service);
  });

  it.each(Object.keys(services))('%s has a health check', (service) => {
    const test = services[service].healthcheck?.test;
    expect(Array.isArray(test)).toBe(true);
    expect((test as string[])[0]).toMatch(/^CMD(-SHELL)?$/);
    expect((test as string[]).length).toBeGreaterThan(1);
  });

  it('starts each service only once what it depends on is healthy', () => {
    const edges = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(s.depends_on ?? {}).map(([on, d]) => ({ name, on, condition: d.condition })),
    );
    expect(edges.map((e) => `${e.name}->${e.on}`).sort()).toEqual([
      'accounts-service->mongo',
      'accounts-service->session-service',
      'gateway->accounts-service',
      'gateway->session-service',
      'session-service->mongo',
    ]);
    for (const edge of edges) {
      expect(edge.condition).toBe('service_healthy');
      expect(services[edge.on].healthcheck).toBeDefined();
    }
  });

  it.each(apps)('$service is given only variables its config schema knows', ({ service, schema }) => {
    const known = Object.keys(schema.properties);
    const unknown = Object.keys(envOf(service)).filter((name) => !known.includes(name));
    expect(unknown).toEqual([]);
  });

  it.each(apps)('$service accepts the values compose gives it', ({ service, load }) => {
    const env = envOf(service);
    // Unquoted YAML numbers and booleans are not strings: compose rejects booleans, and quoting keeps types obvious.
    expect(Object.entries(env).filter(([, v]) => typeof v !== 'string')).toEqual([]);
    expect(() => load(env)).not.toThrow();
  });

  it('points the gateway at the session service by its compose name and port', () => {
    const target = envOf('gateway')['SESSION_SERVICE_URL'].replace(/^dns:\/\/\//, '');
    const [host, port] = target.split(':');
    expect(host).toBe('session-service');
    expect(port).toBe(envOf('session-service')['SESSION_SERVICE_URL'].split(':').pop());
  });

  it('lets the session service be called only by configured callers, the gateway without BindUser, and serves no reflection', () => {
    const env = envOf('session-service');
    const grpc = loadSessionServiceConfig(env).grpc;
    expect(grpc.host).toBe('0.0.0.0');
    expect(grpc.reflection).toBe(false);
    const gateway = grpc.callers.find((c) => c.name === 'gateway');
    expect(gateway?.rpcs).toEqual(expect.arrayContaining(['CreateSession', 'ValidateSession']));
    expect(gateway?.rpcs).not.toContain('BindUser');
    expect(gateway?.rpcs).not.toContain('RevokeUserSessions');
  });

  it('takes the gateway key and its hash from the deployment environment, required, and they match', () => {
    expect(requiredVariables('gateway')).toEqual(['GATEWAY_GRPC_KEY']);
    expect(requiredVariables('session-service')).toEqual(['GATEWAY_GRPC_KEY_SHA256', 'ACCOUNTS_GRPC_KEY_SHA256']);
    const key = loadGatewayConfig(envOf('gateway')).grpcApiKey!;
    const hashes = loadSessionServiceConfig(envOf('session-service')).grpc.callers.find((c) => c.name === 'gateway')!.keyHashes;
    expect(hashes).toContain(createHash('sha256').update(key).digest('hex'));
  });

  it("lets the accounts service alone sign sessions in: its session-service caller has BindUser, the gateway's still lacks it and loses nothing", () => {
    const callers = loadSessionServiceConfig(envOf('session-service')).grpc.callers;
    const accounts = callers.find((c) => c.name === 'accounts')!;
    expect([...accounts.rpcs].sort()).toEqual(['BindUser', 'RevokeUserSessions', 'SetSessionClaims', 'ValidateSession']);
    expect(callers.filter((c) => c.rpcs.includes('BindUser')).map((c) => c.name)).toEqual(['accounts']);
    const gateway = callers.find((c) => c.name === 'gateway')!;
    // What the gateway had before the accounts service came: kept whole.
    expect(gateway.rpcs).toEqual(
      expect.arrayContaining([
        'CreateSession',
        'ValidateSession',
        'UpdateSessionData',
        'TouchSession',
        'RevokeSession',
        'ListUserSessions',
        'WatchSessionChanges',
        'TouchSessions',
      ]),
    );
    expect(accounts.keyHashes).toEqual([sha256(loadAccountsServiceConfig(envOf('accounts-service')).sessionService.apiKey!)]);
  });

  it('lets only the gateway call the accounts service, with the key it uses for the session service, and serves no reflection', () => {
    const env = envOf('accounts-service');
    const config = loadAccountsServiceConfig(env);
    expect(config.grpc.reflection).toBe(false);
    expect(config.grpc.callers.map((c) => [c.name, [...c.rpcs].sort()])).toEqual([['gateway', ['ChangePassword', 'SignIn', 'SignUp']]]);
    expect(config.grpc.callers[0].keyHashes).toEqual([sha256(loadGatewayConfig(envOf('gateway')).grpcApiKey!)]);
    expect(requiredVariables('accounts-service')).toEqual(['GATEWAY_GRPC_KEY_SHA256', 'ACCOUNTS_GRPC_KEY']);
    // The gateway and the accounts service find each other, and the session service, by compose name and port.
    expect(envOf('gateway')['ACCOUNTS_SERVICE_URL']).toBe(`dns:///accounts-service:${config.grpc.port}`);
    expect(config.sessionService.url.replace(/^dns:\/\/\//, '')).toBe(
      `session-service:${loadSessionServiceConfig(envOf('session-service')).grpc.port}`,
    );
    expect(env['MONGODB_URI']).toMatch(/^mongodb:\/\/mongo:27017\/.*replicaSet=rs0/);
  });

  it('connects the session service to the replica set with majority writes', () => {
    const env = envOf('session-service');
    expect(env['MONGODB_URI']).toMatch(/^mongodb:\/\/mongo:27017\/.*replicaSet=rs0/);
    expect(env['MONGODB_WRITE_CONCERN']).toBe('majority');
  });
});

describe.each(apps.map((a) => a.service))('%s Dockerfile', (service) => {
  const { context, stageNames, stages } = dockerfileOf(service);
  const runtime = stages[stages.length - 1];

  it('builds in one stage and runs in a slim stage, both on the current Node.js LTS', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const images = stages.map((s) => s.from).filter((from) => !stageNames.includes(from));
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image).toBe(NODE_IMAGE);
    expect(runtime.from).toBe(NODE_IMAGE);
  });

  it('runs as a non-root user', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('installs only production dependencies in the runtime stage', () => {
    const installs = runtime.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install)\b/.test(i.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install.args).toContain('--omit=dev');
  });

  it('copies only files that exist in the build context', () => {
    const sources = stages.flatMap(contextCopySources).filter((s) => s !== '.');
    expect(sources.filter((s) => !existsSync(join(context, s)))).toEqual([]);
  });
});

describe('images', () => {
  it('share one build stage (dependencies installed and proto types generated once for all)', () => {
    const images = apps.map((a) => dockerfileOf(a.service));
    for (const image of images) {
      expect(image.path).toBe(images[0].path);
      expect(image.stages.map((s) => s.name)).toContain('builder');
    }
  });

  it.each(['session-service', 'accounts-service'])('ship the gRPC health probe that the %s health check runs', (service) => {
    const { stages } = dockerfileOf(service);
    const probe = contextCopySources(stages[stages.length - 1]).find((s) => s.endsWith('grpc-health-probe.mjs'));
    expect(probe).toBeDefined();
    expect(services[service].healthcheck?.test).toContain('grpc-health-probe.mjs');
  });

  it('put the built web app into the gateway image', () => {
    const { stages } = dockerfileOf('gateway');
    const copies = stages[stages.length - 1].instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((c) => c.includes('dist/apps/web'))).toBe(true);
  });
});
