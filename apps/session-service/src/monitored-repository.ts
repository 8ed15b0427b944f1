import type { HealthImplementation } from 'grpc-health-check';
import type { MongoClient } from 'mongodb';
import { SessionRepository, type SessionRepositoryOptions } from './db/session-repository';
import { DbHealthMonitor, type DbHealthMonitorOptions } from './health/db-health-monitor';
import type { Logger } from './observability/logger';

export interface MonitoredRepository {
  readonly repository: SessionRepository;
  readonly monitor: DbHealthMonitor;
}

/**
 * The repository and the health monitor that watches its database, wired to each other: the
 * monitor pings through the repository and may replace a wedged driver (a server check that never
 * finishes outlives the database coming back; a closed-then-connected client gets a fresh topology
 * and its Db handles stay valid); the repository fails calls at once while the monitor knows the
 * database is down. Part of the composition root (with main.ts): the one place besides it that
 * knows both the concrete repository and the monitor.
 */
export function createMonitoredRepository(
  client: MongoClient,
  dbName: string,
  health: HealthImplementation,
  logger: Logger,
  options: { monitor: Omit<DbHealthMonitorOptions, 'reconnect'>; repository?: Omit<SessionRepositoryOptions, 'isDatabaseDown'> },
): MonitoredRepository {
  const monitor: DbHealthMonitor = new DbHealthMonitor(() => repository.ping(), health, logger, {
    ...options.monitor,
    reconnect: async () => {
      await client.close();
      await client.connect();
    },
  });
  const repository: SessionRepository = new SessionRepository(client.db(dbName), {
    ...options.repository,
    isDatabaseDown: () => monitor.databaseDown,
  });
  return { repository, monitor };
}
