import { runOperations } from './op-loops';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runOperations', () => {
  it('keeps `concurrency` operations in flight at saturation', async () => {
    let inFlight = 0;
    let most = 0;
    const r = await runOperations(
      async () => {
        most = Math.max(most, ++inFlight);
        await sleep(5);
        inFlight--;
      },
      { concurrency: 4, durationS: 0.3 },
    );
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

  it('counts failures as errors', async () => {
    const failing = await runOperations(() => Promise.reject(new Error('boom')), { concurrency: 2, durationS: 0.05 });
    expect(failing.ok).toBe(0);
    expect(failing.errors).toBeGreaterThan(0);
    expect(failing.firstError).toBe('boom');
  });

  it('stops a saturation pass after `total` operations', async () => {
    const seen: number[] = [];
    const r = await runOperations(
      async (i) => {
        seen.push(i);
        await sleep(1);
      },
      { concurrency: 3, durationS: 10, total: 25 },
    );
    expect(r.ok).toBe(25);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('keeps every operation of the open loop in flight as long as the target needs, none counted as not started', async () => {
    const r = await runOperations(() => sleep(300), { concurrency: 1, durationS: 0.2, ratePerSecond: 100 });
    expect(r.ok).toBe(20);
    expect(r.errors).toBe(0);
    expect(r.capHit).toBe(false);
    expect(r.mostInFlight).toBeGreaterThan(10);
  });

  it("counts a queued operation's wait in its latency, from its scheduled start", async () => {
    // One slot: each operation holds it 10 ms, so at 200/s (one every 5 ms) they queue behind each other.
    let slot: Promise<unknown> = Promise.resolve();
    const oneAtATime = () => {
      const turn = slot.then(() => sleep(10));
      slot = turn;
      return turn;
    };
    const r = await runOperations(oneAtATime, { concurrency: 1, durationS: 0.25, ratePerSecond: 200 });
    expect(r.ok).toBe(50);
    // The last one is scheduled at 245 ms and finishes after 50 x 10 ms: about 255 ms late, not its own 10 ms.
    expect(r.latency.maxMs).toBeGreaterThan(150);
    expect(r.latency.p50Ms).toBeGreaterThan(50);
  });

  it('fails the phase when the safety cap on operations in flight is hit, counting the rest as errors', async () => {
    const r = await runOperations(() => sleep(300), { concurrency: 1, durationS: 0.2, ratePerSecond: 100, maxInFlight: 5 });
    expect(r.capHit).toBe(true);
    expect(r.ok).toBe(5);
    expect(r.errors).toBe(15);
    expect(r.firstError).toMatch(/safety cap of 5 in flight/);
  });

  it('bounds the phase in time: operations still in flight after the drain period fail it', async () => {
    const started = performance.now();
    const r = await runOperations(() => sleep(2_000), { concurrency: 1, durationS: 0.1, ratePerSecond: 50, drainS: 0.2 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(r.unfinished).toBe(5);
    expect(r.errors).toBe(5);
    expect(r.firstError).toMatch(/still in flight/);
  });
});
