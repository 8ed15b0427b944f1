import { etagToVersion, versionToEtag } from './etag';

describe('etag', () => {
  it('round-trips a version', () => {
    expect(versionToEtag(7)).toBe('W/"v7"');
    expect(etagToVersion(versionToEtag(7))).toBe(7);
    expect(etagToVersion('"v12"')).toBe(12);
  });
  it('ignores values that are not ours', () => {
    expect(etagToVersion('*')).toBeNull();
    expect(etagToVersion('"abc"')).toBeNull();
    expect(etagToVersion(undefined)).toBeNull();
  });
});
