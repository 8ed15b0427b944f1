import { createHash, randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { AccountsApi, createAccountsClient, createSessionClient, SessionApi } from '@session/grpc-client';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import {
  startAccountsService,
  startEmbeddedDb,
  startSessionService,
  uniqueDbName,
  type AccountsServiceProcess,
  type EmbeddedDb,
  type SessionServiceProcess,
} from '@session/testing';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const newKey = () => randomBytes(32).toString('base64url');

/** The caller keys of a stack: as docker-compose wires them, each service its own. */
export interface StackKeys {
  /** The gateway's key: for the accounts service, and for the session service (CreateSession, ValidateSession, but no BindUser). */
  readonly gateway: string;
  /** The accounts service's key for the session service. */
  readonly accounts: string;
}

/**
 * A real database, a real session service and the built accounts service, all on free loopback
 * ports and with caller keys configured as in docker-compose.yml: the accounts caller is the only
 * one allowed BindUser.
 */
export class AccountsStack {
  readonly keys: StackKeys = { gateway: newKey(), accounts: newKey() };
  readonly dbName = uniqueDbName('accounts');
  db!: EmbeddedDb;
  sessionService!: SessionServiceProcess;
  readonly accountsServices: AccountsServiceProcess[] = [];
  /** The gateway's view of the session service. */
  sessions!: SessionApi;
  private readonly apis: AccountsApi[] = [];

  async start(): Promise<this> {
    this.db = await startEmbeddedDb();
    this.sessionService = await startSessionService({
      mongoUri: this.db.uri,
      dbName: this.dbName,
      env: {
        GRPC_CALLERS:
          'gateway=CreateSession,ValidateSession,RevokeSession,ListUserSessions;accounts=BindUser,ValidateSession,RevokeUserSessions',
        GRPC_CALLER_KEY_HASHES: `gateway=${sha256(this.keys.gateway)};accounts=${sha256(this.keys.accounts)}`,
      },
    });
    this.sessions = new SessionApi(createSessionClient({ address: this.sessionService.address, apiKey: this.keys.gateway }), 5_000);
    return this;
  }

  /** One more accounts service on this stack (own process, own throttle), with `env` over the defaults. */
  async startAccounts(env: NodeJS.ProcessEnv = {}): Promise<{ process: AccountsServiceProcess; api: AccountsApi; metricsUrl: string }> {
    const process = await startAccountsService({
      mongoUri: this.db.uri,
      dbName: this.dbName,
      sessionServiceAddress: this.sessionService.address,
      env: {
        GRPC_API_KEY: this.keys.accounts,
        GRPC_CALLERS: 'gateway=SignUp,SignIn,ChangePassword',
        GRPC_CALLER_KEY_HASHES: `gateway=${sha256(this.keys.gateway)}`,
        // The deadline a gateway allows a sign-in, with room for a queue of hashes on two busy cores.
        GRPC_DEADLINE_MS: '10000',
        ...env,
      },
    });
    this.accountsServices.push(process);
    const api = new AccountsApi(createAccountsClient({ address: process.address, apiKey: this.keys.gateway }), 30_000);
    this.apis.push(api);
    return { process, api, metricsUrl: `http://127.0.0.1:${process.metricsPort}/metrics` };
  }

  /** A fresh anonymous session, as the gateway would mint for a browser. */
  async anonymousToken(): Promise<string> {
    return (await this.sessions.createSession({})).token;
  }

  async stop(): Promise<void> {
    for (const api of this.apis) api.close();
    this.sessions?.close();
    await Promise.all(this.accountsServices.map((p) => p.stop()));
    await this.sessionService?.stop();
    await this.db?.stop({ removeData: true });
  }
}

/** Status, `x-error-code` and message of a failed call, or 'OK'. */
export async function outcomeOf(
  call: Promise<unknown>,
): Promise<{ code: grpc.status; errorCode: unknown; details: string; retryAfter?: unknown } | 'OK'> {
  try {
    await call;
    return 'OK';
  } catch (err) {
    const e = err as grpc.ServiceError;
    return {
      code: e.code,
      errorCode: e.metadata?.get(ERROR_CODE_METADATA_KEY)[0],
      details: e.details,
      retryAfter: e.metadata?.get('retry-after')[0],
    };
  }
}

export const GOOD_PASSWORD = 'correct horse battery staple';
