import * as grpc from '@grpc/grpc-js';
import { AccountsApi, checkHealth, createAccountsClient, createHealthClient, createSessionClient, SessionApi } from '@session/grpc-client';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import {
  freePort,
  startAccountsService,
  startEmbeddedDb,
  startSessionService,
  uniqueDbName,
  waitUntil,
  type AccountsServiceProcess,
  type EmbeddedDb,
  type SessionServiceProcess,
} from '@session/testing';
import { sigtermWhileHeld } from './support/drain';
import { Teardown } from './support/teardown';

const PASSWORD = 'correct horse battery staple';
// The deadline the gateway gives an accounts call; every fault must be answered within it.
const DEADLINE_MS = 5_000;

interface Answer {
  readonly code: grpc.status;
  readonly errorCode?: unknown;
  readonly ms: number;
}

async function answer(call: Promise<unknown>): Promise<Answer> {
  const started = Date.now();
  try {
    await call;
    return { code: grpc.status.OK, ms: Date.now() - started };
  } catch (err) {
    const e = err as grpc.ServiceError;
    return { code: e.code, errorCode: e.metadata?.get(ERROR_CODE_METADATA_KEY)[0], ms: Date.now() - started };
  }
}

/** A database, a session service on a fixed port (so it can be restarted in place) and the accounts service. */
async function startAccountsStack(teardown: Teardown) {
  const db: EmbeddedDb = await startEmbeddedDb();
  teardown.add(() => db.stop({ removeData: true }));
  const dbName = uniqueDbName('accounts_faults');
  const sessionEnv = { SESSION_SERVICE_URL: `127.0.0.1:${await freePort()}` };
  const stack = {
    db,
    session: (await startSessionService({ mongoUri: db.uri, dbName, env: sessionEnv })) as SessionServiceProcess,
    restartSession: async () => {
      stack.session = await startSessionService({ mongoUri: db.uri, dbName, env: sessionEnv });
    },
    accounts: undefined as unknown as AccountsServiceProcess,
  };
  teardown.add(() => stack.session.stop('SIGKILL'));
  stack.accounts = await startAccountsService({
    mongoUri: db.uri,
    dbName,
    sessionServiceAddress: sessionEnv.SESSION_SERVICE_URL,
    env: { GRPC_DEADLINE_MS: '1500' },
  });
  teardown.add(() => stack.accounts.stop('SIGKILL'));
  const sessions = new SessionApi(createSessionClient({ address: sessionEnv.SESSION_SERVICE_URL }), 3_000);
  const accounts = new AccountsApi(createAccountsClient({ address: stack.accounts.address }), DEADLINE_MS);
  const health = createHealthClient(accounts.client);
  teardown.add(async () => {
    sessions.close();
    accounts.close();
  });
  const signIn = async (email: string) =>
    accounts.signIn({
      session_token: (await sessions.createSession({})).token,
      email,
      password: PASSWORD,
      device: { user_agent: 'fault', client_address: '10.9.0.1' },
    });
  return { stack, sessions, accounts, health, signIn };
}

describe('accounts service faults (real processes)', () => {
  describe('database down', () => {
    const teardown = new Teardown();
    let env: Awaited<ReturnType<typeof startAccountsStack>>;
    beforeAll(async () => {
      env = await startAccountsStack(teardown);
      await env.accounts.signUp({
        session_token: (await env.sessions.createSession({})).token,
        email: 'db-down@example.org',
        password: PASSWORD,
      });
    });
    afterAll(() => teardown.run());

    it('answers UNAVAILABLE within the deadline while the database is away, reports NOT_SERVING, stays up, and recovers when it returns', async () => {
      // The session service has the same database: a token is minted before it goes.
      const token = (await env.sessions.createSession({})).token;
      await env.stack.db.stop();
      const during = await answer(env.accounts.signIn({ session_token: token, email: 'db-down@example.org', password: PASSWORD }));
      expect(during).toMatchObject({ code: grpc.status.UNAVAILABLE, errorCode: 'unavailable' });
      expect(during.ms).toBeLessThan(DEADLINE_MS);
      await waitUntil(async () => (await checkHealth(env.health)) === 'NOT_SERVING', { what: 'health NOT_SERVING with the database down' });
      expect(env.stack.accounts.process.child.exitCode).toBeNull();
      await env.stack.db.restart();
      await waitUntil(async () => (await checkHealth(env.health)) === 'SERVING', { what: 'health SERVING again', timeoutMs: 20_000 });
      const after = await waitUntil(
        async () => {
          const a = await answer(env.signIn('db-down@example.org'));
          return a.code === grpc.status.OK ? a : undefined;
        },
        { what: 'a sign-in to succeed after the database returned', timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(after.code).toBe(grpc.status.OK);
    });
  });

  describe('session service killed', () => {
    const teardown = new Teardown();
    let env: Awaited<ReturnType<typeof startAccountsStack>>;
    beforeAll(async () => {
      env = await startAccountsStack(teardown);
      await env.accounts.signUp({
        session_token: (await env.sessions.createSession({})).token,
        email: 'ss-killed@example.org',
        password: PASSWORD,
      });
    });
    afterAll(() => teardown.run());

    it('a right password with the session service gone is UNAVAILABLE within the deadline (never a sign-in without a session), and works once it is back', async () => {
      const token = (await env.sessions.createSession({})).token;
      await env.stack.session.stop('SIGKILL');
      const during = await answer(env.accounts.signIn({ session_token: token, email: 'ss-killed@example.org', password: PASSWORD }));
      expect(during).toMatchObject({ code: grpc.status.UNAVAILABLE, errorCode: 'unavailable' });
      expect(during.ms).toBeLessThan(DEADLINE_MS);
      expect(env.stack.accounts.process.child.exitCode).toBeNull();
      await env.stack.restartSession();
      const after = await waitUntil(
        async () => {
          const a = await answer(env.signIn('ss-killed@example.org'));
          return a.code === grpc.status.OK ? a : undefined;
        },
        { what: 'a sign-in after the session service restarted', timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(after.code).toBe(grpc.status.OK);
    });
  });

  describe('SIGTERM with sign-ins in flight', () => {
    const teardown = new Teardown();
    let env: Awaited<ReturnType<typeof startAccountsStack>>;
    beforeAll(async () => {
      env = await startAccountsStack(teardown);
      await env.accounts.signUp({
        session_token: (await env.sessions.createSession({})).token,
        email: 'drain@example.org',
        password: PASSWORD,
      });
    });
    afterAll(() => teardown.run());

    it('finishes every sign-in already in flight (held at the frozen session service) and exits 0 within the grace period', async () => {
      const tokens = await Promise.all([0, 1, 2].map(async () => (await env.sessions.createSession({})).token));
      const drain = await sigtermWhileHeld({
        target: env.stack.accounts.process,
        dependencyPid: env.stack.session.process.child.pid,
        burst: () =>
          Promise.all(
            tokens.map((token) => answer(env.accounts.signIn({ session_token: token, email: 'drain@example.org', password: PASSWORD }))),
          ),
        // Hashing (a few hundred ms each, two at a time) happens before BindUser reaches the frozen service.
        holdAfterSignalMs: 600,
        exitWithinMs: 10_000,
      });
      expect(drain.burst.map((a) => a.code)).toEqual([grpc.status.OK, grpc.status.OK, grpc.status.OK]);
      expect(drain.exitCode).toBe(0);
      expect(drain.drainMs).not.toBeNull();
      expect(drain.drainMs!).toBeGreaterThanOrEqual(500);
    });
  });
});
