import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startAccountsService, startEmbeddedDb, startGateway, startSessionService, uniqueDbName, workspaceRoot } from '@session/testing';

export interface Stack {
  /** The gateway's origin; it serves the built app and `/api`. */
  readonly url: string;
  /** The session service's gRPC `host:port`, for a spec that plays a trusted back end (BindUser). */
  readonly sessionServiceAddress: string;
  stop(): Promise<void>;
}

/** The real thing: embedded database, session service, accounts service and gateway (serving dist/apps/web), on free loopback ports. */
export async function startStack(sessionServiceEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const webRoot = join(workspaceRoot(), 'dist', 'apps', 'web');
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error(`the web app is not built at ${webRoot}; run: npx nx run web:build`);

  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    // Reverse start order: the gateway first, so nothing calls a service that is gone.
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };
  try {
    const db = await startEmbeddedDb();
    stops.push(() => db.stop({ removeData: true }));
    const dbName = uniqueDbName('web_e2e');
    const service = await startSessionService({ mongoUri: db.uri, dbName, env: sessionServiceEnv });
    stops.push(() => service.stop());
    const accounts = await startAccountsService({ mongoUri: db.uri, dbName, sessionServiceAddress: service.address });
    stops.push(() => accounts.stop());
    const gateway = await startGateway({
      sessionServiceUrl: service.address,
      env: { WEB_ROOT: webRoot, ACCOUNTS_SERVICE_URL: accounts.address },
    });
    stops.push(() => gateway.stop());
    return { url: gateway.url, sessionServiceAddress: service.address, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
