import { HealthImplementation } from 'grpc-health-check';
import { createLogger } from '../observability/logger';
import { DbHealthMonitor } from './db-health-monitor';

// The last status set per service, as the health service would answer it.
function statusOf(health: HealthImplementation, service: string): string | undefined {
  return (health as unknown as { statusMap: Map<string, string> }).statusMap.get(service);
}

describe('DbHealthMonitor', () => {
  const logger = createLogger('silent');

  it('starts NOT_SERVING and follows the ping', async () => {
    const health = new HealthImplementation();
    let answer: () => Promise<void> = async () => undefined;
    const monitor = new DbHealthMonitor(() => answer(), health, logger, { services: ['', 'svc'], intervalMs: 60_000 });
    expect(statusOf(health, 'svc')).toBe('NOT_SERVING');
    await monitor.start();
    expect(statusOf(health, '')).toBe('SERVING');
    expect(monitor.serving).toBe(true);
    answer = async () => {
      throw new Error('refused');
    };
    await monitor.check();
    expect(statusOf(health, 'svc')).toBe('NOT_SERVING');
    monitor.stop();
  });

  it('counts a ping that does not answer in time as a failure, and never overlaps pings', async () => {
    const health = new HealthImplementation();
    let calls = 0;
    const monitor = new DbHealthMonitor(
      () => {
        calls++;
        return new Promise<void>(() => undefined);
      },
      health,
      logger,
      { services: [''], intervalMs: 60_000, timeoutMs: 50 },
    );
    const first = monitor.check();
    expect(monitor.check()).toBe(first);
    await first;
    expect(calls).toBe(1);
    expect(monitor.serving).toBe(false);
  });

  it('ignores a ping that finishes after stop', async () => {
    const health = new HealthImplementation();
    let finish!: () => void;
    const monitor = new DbHealthMonitor(() => new Promise<void>((r) => (finish = r)), health, logger, { services: [''] });
    const pending = monitor.check();
    monitor.stop();
    finish();
    await pending;
    expect(statusOf(health, '')).toBe('NOT_SERVING');
  });
});
