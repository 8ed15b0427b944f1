import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { CallerPolicy, LOOPBACK_CALLER, splitMethodPath } from './caller-auth';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

describe('CallerPolicy', () => {
  describe('without callers', () => {
    const policy = new CallerPolicy([]);
    it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('serves the loopback peer %s, key or not', (peer) => {
      expect(policy.decide(undefined, 'BindUser', peer)).toEqual({ ok: true, caller: LOOPBACK_CALLER });
      expect(policy.decide('anything', 'BindUser', peer)).toEqual({ ok: true, caller: LOOPBACK_CALLER });
    });
    it.each(['10.1.2.3', '::ffff:192.168.0.9', 'fd00::5', undefined])('refuses the peer %s with UNAUTHENTICATED', (peer) => {
      expect(policy.decide(undefined, 'ValidateSession', peer)).toMatchObject({
        ok: false,
        code: status.UNAUTHENTICATED,
        details: expect.stringContaining('only loopback peers'),
      });
    });
  });

  describe('with callers', () => {
    const policy = new CallerPolicy([
      { name: 'gateway', keyHashes: [sha256('k-gateway-old'), sha256('k-gateway-new')], rpcs: ['ValidateSession'] },
      { name: 'admin', keyHashes: [sha256('k-admin')], rpcs: ['RevokeUserSessions'] },
    ]);
    it('identifies a caller by either key, from any peer, and checks its allow-list', () => {
      expect(policy.decide('k-gateway-old', 'ValidateSession', '10.0.0.8')).toEqual({ ok: true, caller: 'gateway' });
      expect(policy.decide('k-gateway-new', 'ValidateSession', '127.0.0.1')).toEqual({ ok: true, caller: 'gateway' });
      expect(policy.decide('k-admin', 'ValidateSession', '10.0.0.9')).toMatchObject({
        ok: false,
        code: status.PERMISSION_DENIED,
        caller: 'admin',
      });
    });
    it('gives a loopback peer nothing for free once callers exist', () => {
      expect(policy.decide(undefined, 'ValidateSession', '127.0.0.1')).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
      expect(policy.decide('', 'ValidateSession', '127.0.0.1')).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
      expect(policy.decide('k-gateway', 'ValidateSession', '127.0.0.1')).toMatchObject({ ok: false, code: status.UNAUTHENTICATED });
    });
  });
});

describe('splitMethodPath', () => {
  it('splits a gRPC path into service and method', () => {
    expect(splitMethodPath('/session.v1.SessionService/ValidateSession')).toEqual(['session.v1.SessionService', 'ValidateSession']);
    expect(splitMethodPath('/grpc.health.v1.Health/Check')).toEqual(['grpc.health.v1.Health', 'Check']);
  });
});
