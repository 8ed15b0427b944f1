import { medianIndex, percentile, summarize } from './distribution';

describe('distribution summary', () => {
  it('gives min, median, p95 and max by nearest rank, whatever the input order', () => {
    const values = Array.from({ length: 40 }, (_, i) => 40 - i); // 40 .. 1
    expect(summarize(values)).toEqual({ count: 40, min: 1, median: 20, p95: 38, max: 40 });
  });

  it('reports a single value as every figure and an empty sample as NaN', () => {
    expect(summarize([7.5])).toEqual({ count: 1, min: 7.5, median: 7.5, p95: 7.5, max: 7.5 });
    const empty = summarize([]);
    expect(empty.count).toBe(0);
    expect([empty.min, empty.median, empty.p95, empty.max].every(Number.isNaN)).toBe(true);
  });

  it('picks measured values, never an interpolation', () => {
    expect(percentile([1, 100], 50)).toBe(1);
    expect(percentile([1, 100], 95)).toBe(100);
    expect(percentile([3, 5, 9], 100)).toBe(9);
  });

  it('finds the round whose figure is the median', () => {
    expect(medianIndex([1_200, 900, 1_500])).toBe(0);
    expect(medianIndex([5, 1, 3, 2])).toBe(3);
    expect(medianIndex([])).toBe(-1);
  });
});
