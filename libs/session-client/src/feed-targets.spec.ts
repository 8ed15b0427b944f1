import { resolveFeedTargets } from './feed-targets';

describe('resolveFeedTargets', () => {
  it('takes an explicit SESSION_FEED_TARGETS list as is', async () => {
    expect(await resolveFeedTargets(['a:1', 'b:2'], 'ipv4:127.0.0.1:9')).toEqual(['a:1', 'b:2']);
  });

  it('names every replica of an ipv4: list once, in order', async () => {
    expect(await resolveFeedTargets([], 'ipv4:127.0.0.1:7002,127.0.0.1:7001,127.0.0.1:7002')).toEqual(['127.0.0.1:7001', '127.0.0.1:7002']);
  });

  it('takes a plain host:port as the one replica', async () => {
    expect(await resolveFeedTargets([], 'session-service:50051')).toEqual(['session-service:50051']);
  });

  it('resolves a dns:/// name to its addresses', async () => {
    expect(await resolveFeedTargets([], 'dns:///localhost:7003')).toContain('127.0.0.1:7003');
  });
});
