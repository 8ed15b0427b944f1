import { checkHealth, createHealthClient, createSessionClient, type ServingStatus } from '@session/grpc-client';
import {
  startEmbeddedDb,
  startGateway,
  startSessionService,
  uniqueDbName,
  type EmbeddedDb,
  type GatewayProcess,
  type SessionServiceProcess,
} from '@session/testing';
import { thaw } from './freeze';
import type { Teardown } from './teardown';

/** Stops a process at the end of a spec even if a test left it frozen or already killed it. */
function stopAtTeardown(
  teardown: Teardown,
  target: { process: { child: { pid?: number } }; stop(signal?: NodeJS.Signals): Promise<unknown> },
): void {
  teardown.add(async () => {
    thaw(target.process.child.pid);
    await target.stop('SIGKILL');
  });
}

export async function startDb(teardown: Teardown): Promise<{ db: EmbeddedDb; dbName: string }> {
  const db = await startEmbeddedDb();
  teardown.add(async () => {
    thaw(db.process.child.pid);
    await db.stop({ removeData: true, signal: 'SIGKILL' });
  });
  return { db, dbName: uniqueDbName('faults') };
}

export async function startService(
  teardown: Teardown,
  db: EmbeddedDb,
  dbName: string,
  env: NodeJS.ProcessEnv = {},
): Promise<SessionServiceProcess> {
  const service = await startSessionService({ mongoUri: db.uri, dbName, env });
  stopAtTeardown(teardown, service);
  return service;
}

export async function startGatewayFor(teardown: Teardown, sessionServiceUrl: string, env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  // Rate limits are per client address and every request here comes from 127.0.0.1.
  const gateway = await startGateway({ sessionServiceUrl, env: { CREATE_RATE_LIMIT: '10000', ...env } });
  stopAtTeardown(teardown, gateway);
  return gateway;
}

/**
 * grpc.health.v1 status of a session service as seen from outside, on its
 * own channel; UNREACHABLE when the check itself fails.
 */
export function healthProbe(teardown: Teardown, address: string): () => Promise<ServingStatus | 'UNREACHABLE'> {
  const client = createSessionClient({ address });
  teardown.add(async () => client.close());
  const health = createHealthClient(client);
  return () => checkHealth(health, '', 500).catch(() => 'UNREACHABLE' as const);
}
