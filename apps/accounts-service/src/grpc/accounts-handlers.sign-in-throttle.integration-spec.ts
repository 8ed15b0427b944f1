import * as grpc from '@grpc/grpc-js';
import type { AccountsApi } from '@session/grpc-client';
import { metricValue, waitUntil } from '@session/testing';
import { AccountsStack, GOOD_PASSWORD, outcomeOf } from '../testing/accounts-stack';

describe('sign-in throttle and re-authentication window over real ports', () => {
  const stack = new AccountsStack();
  let accounts: AccountsApi;
  let metricsUrl: string;

  beforeAll(async () => {
    await stack.start();
    ({ api: accounts, metricsUrl } = await stack.startAccounts({
      ACCOUNTS_SIGNIN_ACCOUNT_LIMIT: '5',
      ACCOUNTS_SIGNIN_ADDRESS_LIMIT: '8',
      ACCOUNTS_REAUTH_WINDOW: '2s',
    }));
  }, 120_000);
  afterAll(() => stack.stop());

  const signUp = async (email: string) =>
    accounts.signUp({
      session_token: await stack.anonymousToken(),
      email,
      password: GOOD_PASSWORD,
      device: { user_agent: 'ua', client_address: '10.1.0.1' },
    });

  it('50 concurrent wrong passwords for one account: at most 5 are hashed, the rest RESOURCE_EXHAUSTED rate_limited with a retry-after', async () => {
    await signUp('burst@example.org');
    const hashesBefore = await metricValue(metricsUrl, 'accounts_password_hash_seconds_count');
    // Fifty addresses, so only the per-account limit can stop them.
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        outcomeOf(
          accounts.signIn({
            session_token: 'x',
            email: 'burst@example.org',
            password: `wrong password number ${i}`,
            device: { user_agent: 'ua', client_address: `10.2.0.${i}` },
          }),
        ),
      ),
    );
    const hashed = (await metricValue(metricsUrl, 'accounts_password_hash_seconds_count')) - hashesBefore;
    const invalid = outcomes.filter((o) => o !== 'OK' && o.errorCode === 'invalid_credentials');
    const limited = outcomes.filter((o) => o !== 'OK' && o.code === grpc.status.RESOURCE_EXHAUSTED);
    expect(invalid.length).toBeLessThanOrEqual(5);
    expect(hashed).toBeLessThanOrEqual(5);
    expect(invalid.length + limited.length).toBe(50);
    expect(limited[0]).toMatchObject({ errorCode: 'rate_limited', retryAfter: expect.stringMatching(/^\d+$/) });
    // The right password is refused too now: the account is throttled, not the guess.
    expect(
      await outcomeOf(
        accounts.signIn({
          session_token: await stack.anonymousToken(),
          email: 'burst@example.org',
          password: GOOD_PASSWORD,
          device: { user_agent: 'ua', client_address: '10.3.0.1' },
        }),
      ),
    ).toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
    expect(await metricValue(metricsUrl, 'accounts_sign_ins_total', { outcome: 'rate_limited' })).toBeGreaterThanOrEqual(45);
  });

  it('an unknown email is throttled exactly like a known one (the limit says nothing about existence)', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        outcomeOf(
          accounts.signIn({
            session_token: 'x',
            email: 'ghost@example.org',
            password: `guess ${i} long enough`,
            device: { user_agent: 'ua', client_address: `10.4.0.${i}` },
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o !== 'OK' && o.errorCode === 'invalid_credentials').length).toBe(5);
    expect(outcomes.filter((o) => o !== 'OK' && o.errorCode === 'rate_limited').length).toBe(7);
  });

  it('one client address is throttled across accounts', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        outcomeOf(
          accounts.signIn({
            session_token: 'x',
            email: `spray-${i}@example.org`,
            password: 'a common password guess',
            device: { user_agent: 'ua', client_address: '192.0.2.50' },
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o !== 'OK' && o.errorCode === 'invalid_credentials').length).toBe(8);
    expect(outcomes.filter((o) => o !== 'OK' && o.errorCode === 'rate_limited').length).toBe(4);
  });

  it('change password once the sign-in is older than ACCOUNTS_REAUTH_WINDOW: FAILED_PRECONDITION reauthentication_required, nothing changed', async () => {
    const { token } = await signUp('stale@example.org');
    // Waits on the session service's own verdict about the sign-in's age, with the window configured here.
    await waitUntil(
      async () => {
        const outcome = await outcomeOf(stack.sessions.validateSession({ token, extend: false, max_authentication_age: { seconds: '2' } }));
        return outcome !== 'OK' && outcome.code === grpc.status.FAILED_PRECONDITION;
      },
      { what: 'the sign-in to age past the re-authentication window', timeoutMs: 10_000, intervalMs: 100 },
    );
    const refused = await outcomeOf(
      accounts.changePassword({ session_token: token, current_password: GOOD_PASSWORD, new_password: 'a brand new password' }),
    );
    expect(refused).toMatchObject({ errorCode: 'reauthentication_required' });
    expect(
      await outcomeOf(
        accounts.signIn({
          session_token: await stack.anonymousToken(),
          email: 'stale@example.org',
          password: GOOD_PASSWORD,
          device: { user_agent: 'ua', client_address: '10.5.0.1' },
        }),
      ),
    ).toBe('OK');
  });
});
