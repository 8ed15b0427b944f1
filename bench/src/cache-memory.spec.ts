import { kibPerEntry } from './cache-memory';

describe('memory per cache entry', () => {
  it('divides the RSS growth by the entries the fill pass added', () => {
    expect(kibPerEntry({ rssBeforeMb: 100, rssAfterMb: 145, entriesBefore: 10_000, entriesAfter: 100_000 })).toBeCloseTo(
      (45 * 1024) / 90_000,
    );
  });

  it('is n/a (NaN) without cache entries to divide by', () => {
    expect(kibPerEntry({ rssBeforeMb: 100, rssAfterMb: 120 })).toBeNaN();
    expect(kibPerEntry({ rssBeforeMb: 100, rssAfterMb: 120, entriesBefore: 5, entriesAfter: 5 })).toBeNaN();
  });
});
