import { HealthImplementation } from 'grpc-health-check';
import { createLogger } from '../observability/logger';
import { DbHealthMonitor, type DbHealthMonitorOptions } from './db-health-monitor';

function statusOf(health: HealthImplementation, service: string): string | undefined {
  return (health as unknown as { statusMap: Map<string, string> }).statusMap.get(service);
}

/** A monitor over a scripted ping and reconnect, on a clock the test moves. */
function harness(options: Partial<DbHealthMonitorOptions> & { withReconnect?: boolean } = {}) {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  const health = new HealthImplementation();
  let clock = 1_000_000;
  const state = { pingOk: true, reconnectOk: true, reconnectHangs: false, pings: 0, reconnects: 0 };
  const reconnect = async () => {
    state.reconnects++;
    if (state.reconnectHangs) return new Promise<void>(() => undefined);
    if (!state.reconnectOk) throw new Error('connect ECONNREFUSED');
  };
  const { withReconnect = true, ...rest } = options;
  const monitor = new DbHealthMonitor(
    async () => {
      state.pings++;
      if (!state.pingOk) throw new Error('Server selection timed out');
    },
    health,
    logger,
    { services: [''], intervalMs: 60_000, now: () => clock, reconnectAfterMs: 6_000, ...(withReconnect ? { reconnect } : {}), ...rest },
  );
  return {
    monitor,
    health,
    state,
    /** Moves the clock on by `ms`, then runs one check. */
    checkAfter: (ms: number) => {
      clock += ms;
      return monitor.check();
    },
    /** Pings fail from now on; the first failed check starts the clock. */
    failPings: () => {
      state.pingOk = false;
      return monitor.check();
    },
    logged: (msg: string) => lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg === msg),
  };
}

describe('DbHealthMonitor: database reachability for failing fast', () => {
  it('is not "down" before the first answer, "down" after a failed ping, and back after a good one', async () => {
    const h = harness();
    expect(h.monitor.databaseDown).toBe(false);
    h.state.pingOk = false;
    await h.monitor.check();
    expect(h.monitor.databaseDown).toBe(true);
    h.state.pingOk = true;
    await h.monitor.check();
    expect(h.monitor.databaseDown).toBe(false);
  });

  it('keeps reporting the database as reachable after stop, so calls in flight at shutdown still finish', async () => {
    const h = harness();
    await h.monitor.check();
    h.monitor.stop();
    expect(h.monitor.serving).toBe(false);
    expect(statusOf(h.health, '')).toBe('NOT_SERVING');
    expect(h.monitor.databaseDown).toBe(false);
  });
});

describe('DbHealthMonitor: reconnecting a client that stays unhealthy', () => {
  it('reconnects only after pings have failed for reconnectAfterMs, then waits that long again', async () => {
    const h = harness();
    await h.failPings();
    await h.checkAfter(5_999);
    expect(h.state.reconnects).toBe(0);
    await h.checkAfter(1);
    expect(h.state.reconnects).toBe(1);
    expect(h.logged('database pings keep failing: reconnecting the client')).toEqual([
      expect.objectContaining({ level: 40, failingForMs: 6_000 }),
    ]);
    expect(h.logged('database client reconnected')).toHaveLength(1);
    // Reconnected but still failing (the database really is down): the wait starts over.
    await h.checkAfter(5_999);
    expect(h.state.reconnects).toBe(1);
    await h.checkAfter(1);
    expect(h.state.reconnects).toBe(2);
  });

  it('pings right after reconnecting, so the status reflects the fresh client at once', async () => {
    const h = harness();
    await h.failPings();
    h.state.pingOk = true; // the wedged client was the problem
    const pingsBefore = h.state.pings;
    await h.checkAfter(6_000);
    expect(h.state.reconnects).toBe(1);
    expect(h.state.pings).toBe(pingsBefore + 1);
    expect(h.monitor.serving).toBe(true);
    expect(h.monitor.databaseDown).toBe(false);
  });

  it('a good ping resets the wait', async () => {
    const h = harness();
    await h.failPings();
    h.state.pingOk = true;
    await h.checkAfter(5_000);
    h.state.pingOk = false;
    await h.checkAfter(1_000);
    await h.checkAfter(5_000);
    expect(h.state.reconnects).toBe(0);
  });

  it('retries a failed reconnect at every check until one succeeds, warning once', async () => {
    const h = harness();
    h.state.reconnectOk = false;
    await h.failPings();
    await h.checkAfter(6_000);
    await h.checkAfter(0);
    await h.checkAfter(0);
    expect(h.state.reconnects).toBe(3);
    expect(h.logged('database client reconnect failed; retrying at every check')).toEqual([
      expect.objectContaining({ level: 40, reason: 'connect ECONNREFUSED' }),
    ]);
    expect(h.logged('database pings keep failing: reconnecting the client')).toHaveLength(1);
    h.state.reconnectOk = true;
    h.state.pingOk = true;
    await h.checkAfter(0);
    expect(h.state.reconnects).toBe(4);
    expect(h.monitor.serving).toBe(true);
    // Healthy again: no more reconnects.
    await h.checkAfter(60_000);
    expect(h.state.reconnects).toBe(4);
  });

  it('bounds a reconnect that never finishes, and retries it', async () => {
    const h = harness({ reconnectTimeoutMs: 20, timeoutMs: 20 });
    h.state.reconnectHangs = true;
    await h.failPings();
    await h.checkAfter(6_000);
    expect(h.logged('database client reconnect failed; retrying at every check')).toEqual([
      expect.objectContaining({ reason: 'reconnect took over 20 ms' }),
    ]);
    h.state.reconnectHangs = false;
    await h.checkAfter(0);
    expect(h.state.reconnects).toBe(2);
  });

  it('never reconnects without a reconnect function, or once stopped', async () => {
    const without = harness({ withReconnect: false });
    await without.failPings();
    await without.checkAfter(60_000);
    expect(without.state.reconnects).toBe(0);

    const stopped = harness();
    await stopped.failPings();
    stopped.monitor.stop();
    await stopped.checkAfter(60_000);
    expect(stopped.state.reconnects).toBe(0);
  });

  it('uses the wall clock and the default wait when given neither', async () => {
    const health = new HealthImplementation();
    let reconnects = 0;
    const monitor = new DbHealthMonitor(
      async () => {
        throw new Error('down');
      },
      health,
      createLogger('silent'),
      { services: [''], intervalMs: 60_000, reconnect: async () => void reconnects++ },
    );
    await monitor.check();
    await monitor.check();
    expect(reconnects).toBe(0); // well within the default 4 s
    monitor.stop();
  });
});

// The schedule is about time passing: fake timers move it exactly, so the counts are exact and
// "nothing more happens" is checked over a full interval rather than a guessed real sleep.
describe('DbHealthMonitor: ping schedule', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('pings every retryIntervalMs while the database is down and every intervalMs once it answers', async () => {
    const h = harness({ intervalMs: 10_000, retryIntervalMs: 10, withReconnect: false });
    h.state.pingOk = false;
    await h.monitor.start();
    await jest.advanceTimersByTimeAsync(120);
    expect(h.state.pings).toBe(1 + 12);
    h.state.pingOk = true;
    await jest.advanceTimersByTimeAsync(10); // the next retry finds it back
    expect(h.monitor.serving).toBe(true);
    const once = h.state.pings;
    await jest.advanceTimersByTimeAsync(9_999);
    expect(h.state.pings).toBe(once); // now on the long interval
    await jest.advanceTimersByTimeAsync(1);
    expect(h.state.pings).toBe(once + 1);
    h.monitor.stop();
  });

  it('stops scheduling once stopped', async () => {
    const h = harness({ intervalMs: 10, retryIntervalMs: 10, withReconnect: false });
    await h.monitor.start();
    h.monitor.stop();
    const pings = h.state.pings;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.state.pings).toBe(pings);
  });

  it('schedules nothing when stopped while the first check runs', async () => {
    const h = harness({ intervalMs: 10, retryIntervalMs: 10, withReconnect: false });
    const started = h.monitor.start();
    h.monitor.stop();
    await started;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.state.pings).toBe(1);
  });

  it('uses a short default retry interval (500 ms)', async () => {
    const h = harness({ intervalMs: 60_000, withReconnect: false });
    h.state.pingOk = false;
    await h.monitor.start();
    await jest.advanceTimersByTimeAsync(499);
    expect(h.state.pings).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(h.state.pings).toBe(2);
    h.monitor.stop();
  });
});
