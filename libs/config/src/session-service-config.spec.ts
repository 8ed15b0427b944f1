import { ConfigError } from './load-env';
import { parseDuration } from './duration';
import { loadGatewayConfig } from './gateway-config';
import { loadSessionServiceConfig } from './session-service-config';
import { mongoClientOptions } from './mongo-settings';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['30', 30_000],
  ])('%s -> %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('rejects anything else', () => expect(() => parseDuration('7 days')).toThrow(/not a duration/));
});

describe('session service config', () => {
  it('has the documented defaults', () => {
    const c = loadSessionServiceConfig({});
    expect(c.mongo).toMatchObject({ uri: 'mongodb://127.0.0.1:27017/', dbName: 'sessions', embedded: true });
    expect(c.grpc).toMatchObject({ host: '127.0.0.1', port: 50051 });
    expect(c.session.idleTtlMs).toBe(7 * 86_400_000);
    expect(c.session.absoluteTtlMs).toBe(30 * 86_400_000);
    expect(c.session.orphanTtlMs).toBe(86_400_000);
    expect(c.session.userDataMaxBytes).toBe(16_384);
    expect(Object.isFrozen(c.session)).toBe(true);
  });

  it('reads the environment and the embedded port', () => {
    const callers = { GRPC_CALLERS: 'gateway=ValidateSession', GRPC_CALLER_KEY_HASHES: `gateway=${'a'.repeat(64)}` };
    const c = loadSessionServiceConfig({ EMBEDDED_DB_PORT: '28000', SESSION_SERVICE_URL: '0.0.0.0:0', SESSION_IDLE_TTL: '2s', ...callers });
    expect(c.mongo.uri).toBe('mongodb://127.0.0.1:28000/');
    expect(c.grpc).toMatchObject({ host: '0.0.0.0', port: 0 });
    expect(c.session.idleTtlMs).toBe(2_000);
    const ext = loadSessionServiceConfig({ MONGODB_URI: 'mongodb://db:27017/?replicaSet=rs0', MONGODB_WRITE_CONCERN: '1' });
    expect(ext.mongo).toMatchObject({ embedded: false, writeConcern: 1 });
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadSessionServiceConfig({ MONGODB_URI: 'postgres://x', SESSION_IDLE_TTL: 'soon', USER_DATA_MAX_BYTES: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('MONGODB_URI');
    expect(message).toContain('SESSION_IDLE_TTL');
    expect(message).toContain('USER_DATA_MAX_BYTES');
  });
});

describe('gateway config', () => {
  it('has the documented defaults and parses lists', () => {
    const c = loadGatewayConfig({ ALLOWED_ORIGINS: 'https://a.example, https://b.example', COOKIE_SECURE: 'true' });
    expect(c.port).toBe(3000);
    expect(c.sessionServiceUrl).toBe('127.0.0.1:50051');
    expect(c.grpcDeadlineMs).toBe(2000);
    expect(c.cookieSecure).toBe(true);
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.corsOrigins).toEqual([]);
  });

  it('rejects a bad port and policy together', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: '70000', GRPC_LOAD_BALANCING: 'random' })).toThrow(
      /GATEWAY_PORT[\s\S]*GRPC_LOAD_BALANCING|GRPC_LOAD_BALANCING[\s\S]*GATEWAY_PORT/,
    );
  });
});

describe('mongoClientOptions', () => {
  it('carries the pool size and the write concern, numeric when given as digits, and gives up on a server within 1 s', () => {
    const config = loadSessionServiceConfig({ MONGODB_MAX_POOL_SIZE: '7', MONGODB_WRITE_CONCERN: '2' });
    expect(mongoClientOptions(config.mongo, 'x')).toEqual({
      appName: 'x',
      maxPoolSize: 7,
      writeConcern: { w: 2 },
      serverSelectionTimeoutMS: 1_000,
      connectTimeoutMS: 3_000,
    });
  });
});
