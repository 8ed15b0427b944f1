import { isSettled } from './settled-memory';

describe('isSettled (when an RSS reading after the GC may be taken)', () => {
  it('waits for a full window of samples', () => {
    expect(isSettled([150, 150], 5, 0.5)).toBe(false);
  });

  it('is not settled while the last window still falls (pages being returned)', () => {
    expect(isSettled([190, 180, 170, 160, 155, 154.8], 5, 0.5)).toBe(false);
  });

  it('is settled once the last window lies within the tolerance, whatever came before', () => {
    expect(isSettled([190, 180, 150.2, 150, 150.4, 150.1, 150.3], 5, 0.5)).toBe(true);
  });
});
