import * as grpc from '@grpc/grpc-js';
import { AccountsApi, createAccountsClient } from '@session/grpc-client';
import { metricValue, waitUntil } from '@session/testing';
import { MongoClient } from 'mongodb';
import { AccountsStack, GOOD_PASSWORD, outcomeOf } from '../testing/accounts-stack';

const device = { user_agent: 'spec-agent/1.0', client_address: '10.0.0.7' };

describe('accounts.v1 over real ports (real database, real session service)', () => {
  const stack = new AccountsStack();
  let accounts: AccountsApi;
  let metricsUrl: string;
  let mongo: MongoClient;
  /** Every password and token a test used: none may appear in the logs. */
  const secrets: string[] = [];

  beforeAll(async () => {
    await stack.start();
    // Debug level: even the chattiest logging must not carry a secret.
    ({ api: accounts, metricsUrl } = await stack.startAccounts({
      LOG_LEVEL: 'debug',
      ACCOUNTS_SIGNIN_ACCOUNT_LIMIT: '1000',
      ACCOUNTS_SIGNIN_ADDRESS_LIMIT: '1000',
    }));
    mongo = await new MongoClient(stack.db.uri).connect();
  }, 120_000);
  afterAll(async () => {
    await mongo?.close();
    await stack.stop();
  });

  const accountsCollection = () => mongo.db(stack.dbName).collection('accounts');
  const signUp = async (email: string, password = GOOD_PASSWORD, extra: { remember_me?: boolean } = {}) => {
    const token = await stack.anonymousToken();
    secrets.push(token, password);
    const res = await accounts.signUp({ session_token: token, email, password, device, ...extra });
    secrets.push(res.token);
    return { before: token, ...res };
  };

  it("sign-up binds the caller's session to the new account and rotates its token: the old token is refused", async () => {
    const res = await signUp('Rotate@Example.org', GOOD_PASSWORD, { remember_me: true });
    expect(res.token).not.toBe(res.before);
    expect(res.session).toMatchObject({ user_id: res.account_id, authentication_method: 'password', remember_me: true });
    const validated = await stack.sessions.validateSession({ token: res.token });
    expect(validated.session).toMatchObject({ user_id: res.account_id, session_id: res.session!.session_id });
    expect(validated.session!.claims?.fields?.roles?.listValue?.values?.map((v) => v.stringValue)).toEqual(['user']);
    expect(await outcomeOf(stack.sessions.validateSession({ token: res.before }))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it("a taken email in any normalized variant is ALREADY_EXISTS account_exists, stores nothing and leaves the caller's session anonymous", async () => {
    await signUp('dup@example.org');
    for (const variant of ['  DUP@Example.ORG ', 'Dup@example.org', 'dup@EXAMPLE.org']) {
      const token = await stack.anonymousToken();
      expect(
        await outcomeOf(accounts.signUp({ session_token: token, email: variant, password: 'another password entirely', device })),
      ).toEqual({
        code: grpc.status.ALREADY_EXISTS,
        errorCode: 'account_exists',
        details: 'an account with this email already exists',
        retryAfter: undefined,
      });
      // The token did not rotate and is still anonymous.
      expect((await stack.sessions.validateSession({ token })).session).toMatchObject({ user_id: '' });
    }
    expect(await accountsCollection().countDocuments({ email: 'dup@example.org' })).toBe(1);
  });

  it('password length: 14 characters refused, 15 accepted, 129 refused, counted in code points after NFKC', async () => {
    const cases: [string, string, boolean][] = [
      ['14 ascii', 'a'.repeat(14), false],
      ['15 ascii', 'a'.repeat(15), true],
      ['128 ascii', 'b'.repeat(128), true],
      ['129 ascii', 'c'.repeat(129), false],
      // 15 emoji are 30 UTF-16 units but 15 characters; 14 are too few however long in bytes.
      ['14 emoji', '🔑'.repeat(14), false],
      ['15 emoji', '🔑'.repeat(15), true],
      ['129 emoji', '🔐'.repeat(129), false],
    ];
    for (const [name, password, ok] of cases) {
      const email = `len-${name.replace(' ', '-')}@example.org`;
      const token = await stack.anonymousToken();
      const outcome = await outcomeOf(accounts.signUp({ session_token: token, email, password, device }));
      if (ok) expect([name, outcome]).toEqual([name, 'OK']);
      else
        expect([name, outcome]).toEqual([
          name,
          expect.objectContaining({ code: grpc.status.INVALID_ARGUMENT, errorCode: 'invalid_password' }),
        ]);
      expect([name, await accountsCollection().countDocuments({ email })]).toEqual([name, ok ? 1 : 0]);
    }
  });

  it('an email that is not one address is INVALID_ARGUMENT invalid_email and stores nothing', async () => {
    for (const email of ['', 'no-at-sign', 'a@nodot', '@example.org', 'a@@example.org', `${'x'.repeat(250)}@ex.org`]) {
      const outcome = await outcomeOf(
        accounts.signUp({ session_token: await stack.anonymousToken(), email, password: GOOD_PASSWORD, device }),
      );
      expect([email, outcome]).toEqual([
        email,
        expect.objectContaining({ code: grpc.status.INVALID_ARGUMENT, errorCode: 'invalid_email' }),
      ]);
    }
    expect(await accountsCollection().countDocuments({ email: { $in: ['', 'no-at-sign', 'a@nodot'] } })).toBe(0);
  });

  it('the stored document holds the normalized email and an scrypt string, never the password', async () => {
    const res = await signUp('Stored@Example.org', 'my very own long password');
    const doc = await accountsCollection().findOne({ _id: res.account_id as never });
    expect(doc).toMatchObject({
      email: 'stored@example.org',
      password_hash: expect.stringMatching(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/),
    });
    expect(JSON.stringify(doc)).not.toContain('my very own long password');
    expect(Object.keys(doc!).sort()).toEqual(['_id', 'created_at', 'email', 'password_hash', 'updated_at']);
  });

  it("sign-in with the right password binds and rotates; a refused token answers with the session service's own code", async () => {
    const { account_id } = await signUp('signin@example.org');
    const token = await stack.anonymousToken();
    const res = await accounts.signIn({ session_token: token, email: ' SignIn@Example.org', password: GOOD_PASSWORD, device });
    secrets.push(token, res.token);
    expect(res).toMatchObject({ account_id, session: { user_id: account_id, authentication_method: 'password', remember_me: false } });
    expect(await outcomeOf(stack.sessions.validateSession({ token }))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    // The old token again: the session service says why, and we pass it on.
    expect(
      await outcomeOf(accounts.signIn({ session_token: token, email: 'signin@example.org', password: GOOD_PASSWORD, device })),
    ).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      errorCode: expect.stringMatching(/^session_/),
    });
  });

  it('wrong password and unknown email: the same status, code and message, and the same time (medians of alternated trials)', async () => {
    await signUp('timing@example.org');
    const wrong = () => accounts.signIn({ session_token: 'x', email: 'timing@example.org', password: 'not the password at all', device });
    const unknown = () =>
      accounts.signIn({ session_token: 'x', email: 'nobody-here@example.org', password: 'not the password at all', device });
    const [a, b] = [await outcomeOf(wrong()), await outcomeOf(unknown())];
    expect(a).toEqual({
      code: grpc.status.UNAUTHENTICATED,
      errorCode: 'invalid_credentials',
      details: 'email or password is wrong',
      retryAfter: undefined,
    });
    expect(b).toEqual(a);
    const times: Record<'wrong' | 'unknown', number[]> = { wrong: [], unknown: [] };
    const timed = async (kind: 'wrong' | 'unknown') => {
      const started = performance.now();
      await outcomeOf(kind === 'wrong' ? wrong() : unknown());
      times[kind].push(performance.now() - started);
    };
    // Alternated (ABBA) so drift in machine load falls on both alike.
    for (let i = 0; i < 10; i++)
      for (const kind of i % 2 ? (['wrong', 'unknown'] as const) : (['unknown', 'wrong'] as const)) await timed(kind);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const spread = (xs: number[]) => {
      const s = [...xs].sort((x, y) => x - y);
      return s[Math.floor(s.length * 0.75)] - s[Math.floor(s.length * 0.25)];
    };
    const difference = Math.abs(median(times.wrong) - median(times.unknown));
    // Noise: the interquartile range of the trials themselves (at least 10% of the median on a quiet machine).
    const noise = Math.max(spread(times.wrong), spread(times.unknown), 0.1 * median(times.wrong));
    console.log(
      `sign-in failure medians: wrong password ${median(times.wrong).toFixed(1)} ms, unknown email ${median(times.unknown).toFixed(1)} ms, noise ${noise.toFixed(1)} ms`,
    );
    expect(difference).toBeLessThan(noise);
    // And both really hashed: far above the cost of a lookup alone.
    expect(median(times.unknown)).toBeGreaterThan(0.5 * median(times.wrong));
  });

  it('change password needs the current password, then stores the new hash and signs every other session of the user out', async () => {
    const first = await signUp('change@example.org');
    const others = [];
    for (let i = 0; i < 2; i++) {
      const token = await stack.anonymousToken();
      others.push((await accounts.signIn({ session_token: token, email: 'change@example.org', password: GOOD_PASSWORD, device })).token);
    }
    secrets.push(...others);
    const before = (await accountsCollection().findOne({ email: 'change@example.org' }))!.password_hash;
    expect(
      await outcomeOf(
        accounts.changePassword({
          session_token: first.token,
          current_password: 'not my password at all',
          new_password: 'a brand new password',
          device,
        }),
      ),
    ).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      errorCode: 'invalid_credentials',
    });
    expect((await accountsCollection().findOne({ email: 'change@example.org' }))!.password_hash).toBe(before);
    expect(
      await outcomeOf(
        accounts.changePassword({ session_token: first.token, current_password: GOOD_PASSWORD, new_password: 'too short', device }),
      ),
    ).toMatchObject({
      errorCode: 'invalid_password',
    });
    const changed = await accounts.changePassword({
      session_token: first.token,
      current_password: GOOD_PASSWORD,
      new_password: 'a brand new password',
      device,
    });
    secrets.push('a brand new password');
    expect(changed).toEqual({ revoked_count: '2' });
    for (const token of others)
      expect(await outcomeOf(stack.sessions.validateSession({ token }))).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    expect((await stack.sessions.validateSession({ token: first.token })).session).toMatchObject({ user_id: first.account_id });
    expect(
      await outcomeOf(
        accounts.signIn({ session_token: await stack.anonymousToken(), email: 'change@example.org', password: GOOD_PASSWORD, device }),
      ),
    ).toMatchObject({ errorCode: 'invalid_credentials' });
    expect(
      await outcomeOf(
        accounts.signIn({
          session_token: await stack.anonymousToken(),
          email: 'change@example.org',
          password: 'a brand new password',
          device,
        }),
      ),
    ).toBe('OK');
  });

  it('change password from an anonymous session is FAILED_PRECONDITION reauthentication_required', async () => {
    const token = await stack.anonymousToken();
    expect(
      await outcomeOf(
        accounts.changePassword({ session_token: token, current_password: GOOD_PASSWORD, new_password: 'a brand new password', device }),
      ),
    ).toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      errorCode: 'reauthentication_required',
    });
  });

  it('counts sign-ins by outcome and times every hash', async () => {
    expect(await metricValue(metricsUrl, 'accounts_sign_ins_total', { outcome: 'success' })).toBeGreaterThan(0);
    expect(await metricValue(metricsUrl, 'accounts_sign_ins_total', { outcome: 'invalid_credentials' })).toBeGreaterThanOrEqual(22);
    expect(await metricValue(metricsUrl, 'accounts_password_hash_seconds_count')).toBeGreaterThan(30);
  });

  it("a caller without the gateway's key is refused before any handler: UNAUTHENTICATED caller_unauthenticated", async () => {
    const stranger = new AccountsApi(createAccountsClient({ address: stack.accountsServices[0].address, apiKey: 'w'.repeat(43) }));
    expect(await outcomeOf(stranger.signIn({ email: 'timing@example.org', password: GOOD_PASSWORD }))).toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
      errorCode: 'caller_unauthenticated',
    });
    stranger.close();
  });

  it("the gateway's own key cannot BindUser at the session service: only the accounts service signs sessions in", async () => {
    const token = await stack.anonymousToken();
    expect(await outcomeOf(stack.sessions.bindUser({ token, user_id: 'someone' }))).toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      errorCode: 'caller_not_allowed',
    });
  });

  it('the logs hold no password and no token', async () => {
    const output = await waitUntil(() => stack.accountsServices[0].process.output(), { what: 'accounts service output' });
    expect(output).toContain('rpc rejected');
    const leaked = [...new Set(secrets)].filter((secret) => output.includes(secret));
    expect(leaked).toEqual([]);
  });
});
