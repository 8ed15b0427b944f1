import { timeUntil, waitUntil } from './wait-until';

describe('waitUntil', () => {
  it('resolves with the first truthy value of a condition that becomes true later', async () => {
    let calls = 0;
    const value = await waitUntil(() => (++calls >= 3 ? { calls } : undefined), { what: 'the third call', intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing async condition as not yet, and names what and the last error on timeout', async () => {
    const failing = waitUntil(
      async () => {
        throw new Error('connect ECONNREFUSED');
      },
      { what: 'the port to listen', timeoutMs: 30, intervalMs: 5 },
    );
    await expect(failing).rejects.toThrow('timed out after 30 ms waiting for the port to listen (last error: connect ECONNREFUSED)');
  });
});

describe('timeUntil', () => {
  it('measures how long a condition took, and answers null when it never held', async () => {
    // The clock starts at the first check, which timeUntil makes after taking its own start: a start
    // taken here, before the call, could fall a millisecond tick earlier and let it measure 19.
    let firstCheck: number | undefined;
    const heldFor20Ms = () => Date.now() - (firstCheck ??= Date.now()) >= 20;
    expect(await timeUntil(heldFor20Ms, 5_000, 2)).toBeGreaterThanOrEqual(20);
    expect(await timeUntil(() => false, 20, 2)).toBeNull();
  });
});
