import { createHash } from 'node:crypto';
import { isLoopbackAddress, isLoopbackHost, parseGrpcCallers } from './grpc-callers';
import { ConfigError } from './load-env';
import { loadSessionServiceConfig } from './session-service-config';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const GATEWAY = hash('gateway-key');
const GATEWAY_NEXT = hash('gateway-key-next');
const ADMIN = hash('admin-key');

describe('GRPC_CALLERS and GRPC_CALLER_KEY_HASHES', () => {
  it('joins callers with their RPCs and one or two key hashes', () => {
    const { callers, problems } = parseGrpcCallers(
      ' gateway = ValidateSession, CreateSession ; admin=RevokeUserSessions',
      `gateway=${GATEWAY},${GATEWAY_NEXT};admin=${ADMIN}`,
    );
    expect(problems).toEqual([]);
    expect(callers).toEqual([
      { name: 'gateway', rpcs: ['ValidateSession', 'CreateSession'], keyHashes: [GATEWAY, GATEWAY_NEXT] },
      { name: 'admin', rpcs: ['RevokeUserSessions'], keyHashes: [ADMIN] },
    ]);
  });

  it('is empty when both are empty', () => expect(parseGrpcCallers('', '')).toEqual({ callers: [], problems: [] }));

  it.each([
    ['gateway=ValidateSesion', `gateway=${GATEWAY}`, /unknown RPCs ValidateSesion/],
    ['gateway=', `gateway=${GATEWAY}`, /allows no RPC/],
    ['Gate Way=ValidateSession', `gateway=${GATEWAY}`, /caller name/],
    ['gateway=ValidateSession', '', /gateway has no key hash/],
    ['gateway=ValidateSession', `gateway=${GATEWAY.toUpperCase()}`, /not a lower-case hex SHA-256/],
    ['gateway=ValidateSession', `gateway=${GATEWAY},${GATEWAY_NEXT},${ADMIN}`, /one key hash, or two/],
    ['gateway=ValidateSession', `gateway=${GATEWAY};other=${ADMIN}`, /"other" is not in GRPC_CALLERS/],
    ['gateway=ValidateSession;admin=GetSession', `gateway=${GATEWAY};admin=${GATEWAY}`, /same key hash is given twice/],
    ['gateway=ValidateSession;gateway=GetSession', `gateway=${GATEWAY}`, /listed twice/],
  ])('refuses GRPC_CALLERS=%j with its hashes', (callers, hashes, problem) => {
    const { problems } = parseGrpcCallers(callers, hashes);
    expect(problems.join('\n')).toMatch(problem);
    // A problem never echoes a hash (they are not secret, but logs should not need them).
    expect(problems.join('\n')).not.toMatch(/[0-9a-fA-F]{64}/);
  });
});

describe('loopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (address) =>
    expect(isLoopbackAddress(address)).toBe(true),
  );
  it.each(['10.0.0.7', '0.0.0.0', '::', '::ffff:10.0.0.7', '128.0.0.1', 'fe80::1', 'unknown', '', undefined])('%s is not', (address) =>
    expect(isLoopbackAddress(address)).toBe(false),
  );
  it('accepts localhost as a listen host, not other names', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('session-service')).toBe(false);
  });
});

describe('session service caller settings', () => {
  it('has no callers and no reflection by default', () => {
    expect(loadSessionServiceConfig({}).grpc).toEqual({ host: '127.0.0.1', port: 50051, callers: [], reflection: false });
  });

  it('refuses a non-loopback listen address without callers, and accepts it with them', () => {
    expect(() => loadSessionServiceConfig({ SESSION_SERVICE_URL: '0.0.0.0:50051' })).toThrow(ConfigError);
    expect(() => loadSessionServiceConfig({ SESSION_SERVICE_URL: '0.0.0.0:50051' })).toThrow(
      /0\.0\.0\.0 is not a loopback address, so GRPC_CALLERS/,
    );
    const config = loadSessionServiceConfig({
      SESSION_SERVICE_URL: '0.0.0.0:50051',
      GRPC_CALLERS: 'gateway=ValidateSession',
      GRPC_CALLER_KEY_HASHES: `gateway=${GATEWAY}`,
      GRPC_REFLECTION: 'true',
    });
    expect(config.grpc).toMatchObject({ host: '0.0.0.0', reflection: true, callers: [{ name: 'gateway' }] });
    expect(Object.isFrozen(config.grpc.callers[0].rpcs)).toBe(true);
  });

  it('lists caller problems together with schema problems', () => {
    expect(() => loadSessionServiceConfig({ GRPC_CALLERS: 'gateway=Nope' })).toThrow(/Nope[\s\S]*no key hash/);
  });
});
