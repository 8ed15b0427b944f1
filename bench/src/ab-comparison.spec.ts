import { describeDbOps, median, renderComparison, type RoundFigures, type Side } from './ab-figures';

const round = (perSecond: number, dbOps: RoundFigures['dbOps'] = {}): RoundFigures => ({
  perSecond,
  errors: 0,
  serviceMsPerCall: 1_000 / perSecond,
  databaseMsPerCall: 0.5,
  p50Ms: 10,
  p99Ms: 30,
  dbOps,
});
const side = (label: string, rates: number[]): Side => ({ label, rounds: rates.map((r) => round(r)) });

describe('A/B comparison figures', () => {
  it('takes the lower middle value as the median of an even count, and ignores figures that could not be measured', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('calls a difference beyond noise only when the rounds of the two sides do not overlap', () => {
    expect(renderComparison('t', [side('A', [100, 110, 120]), side('B', [130, 140, 150])])).toContain('+27.3 % calls/s (beyond noise');
    expect(renderComparison('t', [side('A', [100, 110, 120]), side('B', [115, 140, 150])])).toContain('+27.3 % calls/s (within noise');
    expect(renderComparison('t', [side('A', [200, 210]), side('B', [100, 105])])).toContain('-50.0 % calls/s (beyond noise');
  });

  it('prints every round in run order, and the medians of CPU per call', () => {
    const text = renderComparison('t', [side('A', [120, 100, 110]), side('B', [250, 200, 300])]);
    expect(text).toContain('A: median 110 calls/s (rounds 120, 100, 110)');
    expect(text).toContain('service 9.09 ms + database 0.50 ms');
  });

  it('sums each database operation over the rounds into a mean time, most frequent first', () => {
    const rounds = [
      round(1, { find_by_token: { count: 100, sumS: 0.2 }, extend_idle_expiry: { count: 10, sumS: 0.05 } }),
      round(1, { find_by_token: { count: 300, sumS: 0.6 } }),
    ];
    expect(describeDbOps(rounds)).toBe('find_by_token 2.00 ms x 400; extend_idle_expiry 5.00 ms x 10');
  });
});
