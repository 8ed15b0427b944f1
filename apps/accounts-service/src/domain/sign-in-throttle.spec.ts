import { SignInThrottle } from './sign-in-throttle';

describe('SignInThrottle', () => {
  let now = 0;
  const throttle = () => new SignInThrottle({ perAccount: 3, perAddress: 5, windowMs: 60_000 }, () => now);
  beforeEach(() => (now = 1_000_000));

  it('reserves before the outcome is known: concurrent attempts beyond the limit are refused at once', () => {
    const t = throttle();
    const admitted = [1, 2, 3, 4].map(() => t.admit('a@x.org', ''));
    expect(admitted.map((a) => a.ok)).toEqual([true, true, true, false]);
  });

  it('counts failures in a sliding window and says when the oldest leaves it', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      const a = t.admit('a@x.org', '');
      if (a.ok) a.reservation.settle('failure');
      now += 10_000;
    }
    expect(t.admit('a@x.org', '')).toEqual({ ok: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(t.admit('a@x.org', '').ok).toBe(true);
  });

  it("a success clears the account's failures but not the address's; a released slot counts nothing", () => {
    const t = throttle();
    for (let i = 0; i < 2; i++) {
      const a = t.admit('a@x.org', '10.0.0.1');
      if (a.ok) a.reservation.settle('failure');
    }
    const good = t.admit('a@x.org', '10.0.0.1');
    if (good.ok) good.reservation.settle('success');
    const released = t.admit('a@x.org', '10.0.0.1');
    if (released.ok) released.reservation.settle('released');
    expect([1, 2, 3].map(() => t.admit('a@x.org', '').ok)).toEqual([true, true, true]);
    // The address: 2 failures so far, limit 5.
    const address = [1, 2, 3, 4].map((i) => t.admit(`other${i}@x.org`, '10.0.0.1').ok);
    expect(address).toEqual([true, true, true, false]);
  });
});
