import { medianOf, parseSide } from './paced-ab-args';

describe('parseSide', () => {
  it('splits environment variables from node flags', () => {
    expect(parseSide(' SESSION_CACHE_MAX_AGE=5m  --max-semi-space-size=4 A_B=x=y ')).toEqual({
      env: { SESSION_CACHE_MAX_AGE: '5m', A_B: 'x=y' },
      nodeArgs: ['--max-semi-space-size=4'],
    });
  });

  it('is the defaults for an empty side', () => {
    expect(parseSide('')).toEqual({ env: {}, nodeArgs: [] });
  });

  it('refuses a word that is neither', () => {
    expect(() => parseSide('max_age=5m')).toThrow(/neither NAME=value nor a --node-flag/);
  });
});

describe('medianOf', () => {
  it('is a measured round, the lower middle one for an even count', () => {
    expect(medianOf([30, 10, 20])).toBe(20);
    expect(medianOf([40, 10, 30, 20])).toBe(20);
    expect(medianOf([])).toBeNaN();
  });
});
