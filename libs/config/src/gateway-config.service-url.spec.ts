import { ConfigError } from './load-env';
import { loadGatewayConfig } from './gateway-config';

describe('SESSION_SERVICE_URL forms (the near cache takes its feed targets from it)', () => {
  it.each(['127.0.0.1:50051', 'dns:///session-service:50051', 'ipv4:127.0.0.1:7001,127.0.0.1:7002'])('accepts %s', (url) => {
    expect(loadGatewayConfig({ SESSION_SERVICE_URL: url }).sessionServiceUrl).toBe(url);
  });

  it.each(['ipv4:127.0.0.1:7001,', 'ipv4:127.0.0.1', 'a:1,b:2', 'dns:///x:1,y:2', '127.0.0.1:50051 '])(
    'refuses %j with a config error',
    (url) => {
      expect(() => loadGatewayConfig({ SESSION_SERVICE_URL: url })).toThrow(ConfigError);
    },
  );
});
