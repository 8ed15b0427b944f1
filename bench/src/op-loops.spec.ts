import { runOperations } from './op-loops';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runOperations', () => {
  it('keeps `concurrency` operations in flight at saturation', async () => {
    let inFlight = 0;
    let most = 0;
    const r = await runOperations(async () => {
      most = Math.max(most, ++inFlight);
      await sleep(5);
      inFlight--;
    }, { concurrency: 4, durationS: 0.3 });
    expect(most).toBe(4);
    expect(r.errors).toBe(0);
    expect(r.ok).toBeGreaterThan(40);
    expect(r.latency.p50Ms).toBeGreaterThanOrEqual(4);
  });

  it('offers the fixed rate whatever the latency', async () => {
    const r = await runOperations(() => sleep(1), { concurrency: 50, durationS: 0.5, ratePerSecond: 200 });
    expect(r.ok).toBeGreaterThanOrEqual(90);
    expect(r.ok).toBeLessThanOrEqual(101);
  });

  it('counts failures and calls the target could not take as errors', async () => {
    const failing = await runOperations(() => Promise.reject(new Error('boom')), { concurrency: 2, durationS: 0.05 });
    expect(failing.ok).toBe(0);
    expect(failing.firstError).toBe('boom');
    const stuck = await runOperations(() => sleep(300), { concurrency: 1, durationS: 0.2, ratePerSecond: 100 });
    expect(stuck.errors).toBeGreaterThan(10);
    expect(stuck.firstError).toMatch(/in flight/);
  });
});
