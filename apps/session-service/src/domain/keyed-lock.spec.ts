import { KeyedLock } from './keyed-lock';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const job = (name: string) =>
      lock.run('k', async () => {
        events.push(`start ${name}`);
        await tick();
        events.push(`end ${name}`);
        return name;
      });
    expect(await Promise.all([job('a'), job('b'), job('c')])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets different keys run side by side', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    await Promise.all(
      ['x', 'y'].map((key) =>
        lock.run(key, async () => {
          events.push(`start ${key}`);
          await tick();
          events.push(`end ${key}`);
        }),
      ),
    );
    expect(events).toEqual(['start x', 'start y', 'end x', 'end y']);
  });

  it('releases after a failure and forgets idle keys', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('k', async () => {
      throw new Error('boom');
    });
    const next = lock.run('k', async () => 'after');
    expect(lock.size).toBe(1);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    expect(lock.size).toBe(0);
  });

  it('keeps the key while work is queued, so a late arrival still waits for the running one', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    let finishB!: () => void;
    const a = lock.run('k', async () => events.push('a'));
    const b = lock.run('k', () => new Promise<void>((resolve) => (finishB = resolve)).then(() => void events.push('b')));
    await a;
    await tick();
    expect(lock.size).toBe(1); // b is running
    const c = lock.run('k', async () => void events.push('c'));
    await tick();
    expect(events).toEqual(['a']); // c waits for b
    finishB();
    await Promise.all([b, c]);
    expect(events).toEqual(['a', 'b', 'c']);
    expect(lock.size).toBe(0);
  });
});
