import { dueCount, safetyCap, scheduledStartMs } from './open-loop-schedule';

describe('open-loop schedule', () => {
  it('spaces operations evenly at the offered rate', () => {
    expect([0, 1, 2, 1_000].map((i) => scheduledStartMs(i, 1_000))).toEqual([0, 1, 2, 1_000]);
    expect(scheduledStartMs(3, 250)).toBe(12);
  });

  it('has operation 0 due at once and one more every 1/rate s, never a burst', () => {
    expect(dueCount(-1, 1_000)).toBe(0);
    expect(dueCount(0, 1_000)).toBe(1);
    expect(dueCount(0.99, 1_000)).toBe(1);
    expect(dueCount(1, 1_000)).toBe(2);
    expect(dueCount(999, 1_000)).toBe(1_000);
    expect(dueCount(39, 100)).toBe(4);
  });

  it("caps operations in flight far above a healthy target's need", () => {
    expect(safetyCap(1_000)).toBe(10_000);
    expect(safetyCap(10)).toBe(1_024);
  });
});
