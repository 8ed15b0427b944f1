import type { Db } from 'mongodb';
import type { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../observability/logger';

/**
 * Pings the database every `intervalMs` and reports grpc.health.v1 SERVING or NOT_SERVING for
 * `services`, so a load balancer or compose health check stops sending sign-ins that would fail.
 * Calls are not refused on its word: each fails on its own, bounded, when the database is away.
 */
export function watchDatabase(
  db: Db,
  health: HealthImplementation,
  services: readonly string[],
  logger: Logger,
  intervalMs = 2_000,
): { stop(): void } {
  let serving: boolean | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const report = (up: boolean) => {
    if (up === serving) return;
    serving = up;
    for (const service of services) health.setStatus(service, up ? 'SERVING' : 'NOT_SERVING');
    if (up) logger.info('database reachable');
    else logger.warn('database unreachable: health NOT_SERVING');
  };
  const tick = async () => {
    const up = await db.command({ ping: 1 }, { timeoutMS: Math.max(500, intervalMs - 250) }).then(
      () => true,
      () => false,
    );
    if (stopped) return;
    report(up);
    timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const service of services) health.setStatus(service, 'NOT_SERVING');
    },
  };
}
