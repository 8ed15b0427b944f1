import { freePort } from './free-port';
import { startGateway, type GatewayProcess } from './gateway-process';
import { startSessionService, type SessionServiceProcess } from './session-service-process';

export interface ReplicaStackOptions {
  /** The one database every session-service replica shares. */
  readonly mongoUri: string;
  readonly dbName: string;
  readonly services?: number;
  readonly gateways?: number;
  /** Variables of every session-service replica (e.g. FEED_HEARTBEAT_INTERVAL, SESSION_IDLE_TTL). */
  readonly serviceEnv?: NodeJS.ProcessEnv;
  /** Variables of every gateway (e.g. FEED_STALE_AFTER, SESSION_CACHE_MAX_AGE). */
  readonly gatewayEnv?: NodeJS.ProcessEnv;
}

/** A session-service replica on a fixed port, so a restart comes back where the gateways look. */
export interface ServiceReplica {
  readonly address: string;
  readonly current: SessionServiceProcess;
  /** Starts it again on the same port (after a stop or a SIGKILL). */
  restart(): Promise<void>;
}

export interface ReplicaStack {
  readonly services: readonly ServiceReplica[];
  readonly gateways: readonly GatewayProcess[];
  /** `ipv4:a:p,b:p`: every replica, the gateways' SESSION_SERVICE_URL (round_robin), so also their feed targets. */
  readonly serviceUrl: string;
  /** SIGKILLs everything still running (continuing a frozen process first). */
  close(): Promise<void>;
}

/**
 * Several session-service replicas on one database and several gateways in
 * front of all of them, as production runs: each gateway balances calls over
 * the replicas and takes the change feed of every one.
 */
export async function startReplicaStack(options: ReplicaStackOptions): Promise<ReplicaStack> {
  const ports = await Promise.all(Array.from({ length: options.services ?? 2 }, () => freePort()));
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  const serviceUrl = `ipv4:${addresses.join(',')}`;
  const start = (address: string) =>
    startSessionService({
      mongoUri: options.mongoUri,
      dbName: options.dbName,
      env: { ...options.serviceEnv, SESSION_SERVICE_URL: address },
    });
  const services = await Promise.all(
    addresses.map(async (address) => {
      let current = await start(address);
      return {
        address,
        get current() {
          return current;
        },
        async restart() {
          await current.stop('SIGKILL');
          current = await start(address);
        },
      } satisfies ServiceReplica;
    }),
  );
  const gateways = await Promise.all(
    Array.from({ length: options.gateways ?? 2 }, () =>
      // Rate limits are per client address and every test client is 127.0.0.1.
      startGateway({
        sessionServiceUrl: serviceUrl,
        env: { GRPC_LOAD_BALANCING: 'round_robin', CREATE_RATE_LIMIT: '100000', INVALID_TOKEN_LIMIT: '100000', ...options.gatewayEnv },
      }),
    ),
  );
  return {
    services,
    gateways,
    serviceUrl,
    async close() {
      const all = [...gateways, ...services.map((s) => s.current)];
      for (const p of all) {
        const pid = p.process.child.pid;
        try {
          if (pid !== undefined) process.kill(pid, 'SIGCONT');
        } catch {
          // already gone
        }
      }
      await Promise.all(all.map((p) => p.stop('SIGKILL')));
    },
  };
}
