import { formatDateTime, formatTimeLeft, shortId } from './format';

describe('format', () => {
  it('shortens a UUID to its first block', () => {
    expect(shortId('1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed')).toBe('1b9d6bcd');
  });

  it('formats a countdown by its scale', () => {
    expect(formatTimeLeft(7 * 86_400_000 - 3_600_000)).toBe('6 d 23 h');
    expect(formatTimeLeft(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 05 min');
    expect(formatTimeLeft(4 * 60_000 + 7_000)).toBe('4:07');
    expect(formatTimeLeft(1)).toBe('0:01');
    expect(formatTimeLeft(-5)).toBe('0:00');
  });

  it('formats dates in the chosen language', () => {
    const iso = '2030-03-04T10:20:00.000Z';
    expect(formatDateTime(iso, 'en')).toMatch(/2030/);
    expect(formatDateTime(iso, 'de')).not.toBe(formatDateTime(iso, 'en'));
  });
});
