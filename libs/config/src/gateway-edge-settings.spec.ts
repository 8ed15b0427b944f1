import { loadGatewayConfig } from './gateway-config';
import { ConfigError } from './load-env';

const configError = (env: Record<string, string>) => {
  try {
    loadGatewayConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('gateway edge settings', () => {
  it('trusts no proxy by default, a hop count, or listed proxies', () => {
    expect(loadGatewayConfig({}).trustProxy).toBe(false);
    expect(loadGatewayConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadGatewayConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadGatewayConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,uniquelocal,::1,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'uniquelocal',
      '::1',
      'fd00::/8',
    ]);
  });

  it('refuses TRUST_PROXY=true with what to set instead', () => {
    const message = configError({ TRUST_PROXY: 'true' });
    expect(message).toContain('TRUST_PROXY');
    expect(message).toMatch(/hop count|number of proxies/);
  });

  it.each(['yes', '10.0.0.0/33', '300.1.1.1', 'example.com', '1.2.3.4/8/1', '::1/129', ','])('refuses TRUST_PROXY=%j', (value) => {
    expect(configError({ TRUST_PROXY: value })).toContain('TRUST_PROXY');
  });

  it('takes PUBLIC_ORIGIN as a bare origin, normalized', () => {
    expect(loadGatewayConfig({}).publicOrigin).toBe('');
    expect(loadGatewayConfig({ PUBLIC_ORIGIN: 'HTTPS://App.Example:443' }).publicOrigin).toBe('https://app.example');
    expect(loadGatewayConfig({ PUBLIC_ORIGIN: 'https://app.example:8443/' }).publicOrigin).toBe('https://app.example:8443');
  });

  it('lists a bad PUBLIC_ORIGIN and TRUST_PROXY together', () => {
    for (const bad of ['app.example', 'https://app.example/path', 'ftp://app.example', 'https://app.example?x=1']) {
      expect(configError({ PUBLIC_ORIGIN: bad })).toContain('PUBLIC_ORIGIN');
    }
    expect(configError({ PUBLIC_ORIGIN: 'x', TRUST_PROXY: 'true' })).toMatch(/TRUST_PROXY[\s\S]*PUBLIC_ORIGIN/);
  });

  it('puts metrics on a loopback operations listener and docs on by default', () => {
    const c = loadGatewayConfig({});
    expect(c.metrics).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(c.apiDocs).toBe(true);
    expect(loadGatewayConfig({ API_DOCS: 'false', GATEWAY_METRICS_PORT: '0' })).toMatchObject({ apiDocs: false, metrics: { port: 0 } });
  });
});
