import { systemClock } from './clock';
import { boundAbsoluteExpiry, extendedExpiry, initialExpiry, sessionState, touchIsDue, type ExpiryPolicy } from './expiry';

const MIN = 60_000;
const policy: ExpiryPolicy = { idleTtlMs: 10 * MIN, absoluteTtlMs: 30 * MIN, touchIntervalMs: MIN };
const t0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('expiry arithmetic', () => {
  it('starts with idle and absolute expiry from creation, expires_at the earlier', () => {
    expect(initialExpiry(t0, policy)).toEqual({ idleExpiresAt: at(10 * MIN), absoluteExpiresAt: at(30 * MIN), expiresAt: at(10 * MIN) });
    const longIdle = initialExpiry(t0, { ...policy, idleTtlMs: 60 * MIN });
    expect(longIdle.expiresAt).toEqual(at(30 * MIN));
  });

  it('slides only the idle expiry, and expires_at never passes the absolute expiry', () => {
    expect(extendedExpiry(at(30 * MIN), at(5 * MIN), policy)).toEqual({
      idleExpiresAt: at(15 * MIN),
      absoluteExpiresAt: at(30 * MIN),
      expiresAt: at(15 * MIN),
    });
    expect(extendedExpiry(at(30 * MIN), at(25 * MIN), policy).expiresAt).toEqual(at(30 * MIN));
  });

  it('is live until either expiry, revoked whatever the times', () => {
    const s = { revokedAt: null, idleExpiresAt: at(10 * MIN), absoluteExpiresAt: at(30 * MIN) };
    expect(sessionState(s, at(10 * MIN - 1))).toBe('live');
    expect(sessionState(s, at(10 * MIN))).toBe('expired');
    expect(sessionState({ ...s, idleExpiresAt: at(40 * MIN) }, at(30 * MIN))).toBe('expired');
    expect(sessionState({ ...s, idleExpiresAt: at(40 * MIN) }, at(30 * MIN - 1))).toBe('live');
    expect(sessionState({ ...s, revokedAt: t0 }, t0)).toBe('revoked');
    expect(sessionState({ ...s, revokedAt: t0 }, at(60 * MIN))).toBe('revoked');
  });

  it('makes a touch due once per interval since the last write', () => {
    expect(touchIsDue(t0, at(MIN - 1), policy)).toBe(false);
    expect(touchIsDue(t0, at(MIN), policy)).toBe(true);
  });
});

describe('the absolute expiry a bind gives', () => {
  const bindPolicy = { ...policy, browserAbsoluteTtlMs: 12 * MIN };
  const session = { createdAt: t0, absoluteExpiresAt: at(20 * MIN) };

  it('with remember me: the full lifetime from creation, even past what a shorter sign-in left', () => {
    expect(boundAbsoluteExpiry(session, true, at(5 * MIN), bindPolicy)).toEqual(at(30 * MIN));
  });

  it('without: the browser lifetime from the bind, never later than the session already had', () => {
    expect(boundAbsoluteExpiry(session, false, at(5 * MIN), bindPolicy)).toEqual(at(17 * MIN));
    expect(boundAbsoluteExpiry(session, false, at(9 * MIN), bindPolicy)).toEqual(at(20 * MIN));
  });
});

describe('systemClock', () => {
  it('reads the real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
