import { markRevokedFailingAfter, rulesOnDbPerFile } from '../testing/rules-on-db';
import { NO_DEADLINE } from './call-context';
import {
  BadRequestError,
  ClaimsTooLargeError,
  ForbiddenError,
  InvalidClaimsError,
  SessionNotFoundError,
  SessionRevokedError,
  VersionConflictError,
} from './errors';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const POLICY = {
  idleTtlMs: 30 * MINUTE,
  absoluteTtlMs: 7 * 24 * HOUR,
  browserAbsoluteTtlMs: 12 * HOUR,
  touchIntervalMs: MINUTE,
  maxPerUser: 3,
  claimsMaxBytes: 64,
  deviceAddressStorage: 'truncated' as const,
};

const on = rulesOnDbPerFile(POLICY);

const stored = async (sessionId: string) => (await on.rules.repository.findById(sessionId, NO_DEADLINE))!;

describe('BindUser records the sign-in', () => {
  it('stores user, claims, method, device, remember me and the time, rotates the token, and publishes ROTATED', async () => {
    const created = await on.service.create(null, NO_DEADLINE, { userAgent: 'UA-create', clientAddress: '203.0.113.9' });
    on.rules.clock.advance(5 * MINUTE);
    const now = on.rules.clock.now();
    const bound = await on.service.bindUser(created.token, 'ann', NO_DEADLINE, {
      authenticationMethod: 'password',
      rememberMe: true,
      device: { userAgent: 'UA-bind', clientAddress: '198.51.100.77' },
      claims: { role: 'admin' },
    });
    const id = created.session.sessionId;
    const expected = {
      sessionId: id,
      userId: 'ann',
      version: 1,
      claims: { role: 'admin' },
      authenticationMethod: 'password',
      authenticatedAt: now,
      device: { userAgent: 'UA-bind', clientAddress: '198.51.100.0' },
      rememberMe: true,
      updatedAt: now,
      lastSeenAt: now,
      idleExpiresAt: new Date(now.getTime() + POLICY.idleTtlMs),
      // Remember me: the full lifetime from creation.
      absoluteExpiresAt: new Date(created.session.createdAt.getTime() + POLICY.absoluteTtlMs),
      expiresAt: new Date(now.getTime() + POLICY.idleTtlMs),
    };
    expect(bound.session).toMatchObject(expected);
    expect(bound.evicted).toEqual([]);
    expect(bound.evictionError).toBeUndefined();
    expect(await stored(id)).toMatchObject(expected);
    expect(bound.token.split('.')[0]).toBe(id);
    await expect(on.service.validate(created.token, false, NO_DEADLINE)).rejects.toBeInstanceOf(SessionNotFoundError);
    expect((await on.service.validate(bound.token, false, NO_DEADLINE)).userId).toBe('ann');
    expect(on.rules.published).toEqual([{ kind: 'rotated', sessionId: id, userId: 'ann', version: 1 }]);
  });

  it('keeps the device of creation when none is sent; without remember me the absolute expiry is the browser lifetime from the bind', async () => {
    const created = await on.service.create(null, NO_DEADLINE, { userAgent: 'UA-create', clientAddress: '203.0.113.9' });
    on.rules.clock.advance(20 * MINUTE);
    const now = on.rules.clock.now();
    const bound = await on.service.bindUser(created.token, 'bob', NO_DEADLINE);
    expect(bound.session).toMatchObject({
      device: { userAgent: 'UA-create', clientAddress: '203.0.113.0' },
      rememberMe: false,
      claims: {},
      authenticationMethod: '',
      absoluteExpiresAt: new Date(now.getTime() + POLICY.browserAbsoluteTtlMs),
    });
  });

  it('drops the claims of the previous sign-in when a bind does not restate them', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const first = await on.service.bindUser(created.token, 'cid', NO_DEADLINE, { claims: { plan: 'pro' } });
    expect(first.session.claims).toEqual({ plan: 'pro' });
    const second = await on.service.bindUser(first.token, 'cid', NO_DEADLINE, { claims: null });
    expect(second.session.claims).toEqual({});
    expect((await stored(created.session.sessionId)).claims).toEqual({});
  });

  it('takes an authentication method of 0 to 64 printable ASCII characters and refuses anything else before writing', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const refused = ['x'.repeat(65), 'pass word', 'pässword', 'tab\t'];
    for (const authenticationMethod of refused) {
      await expect(on.service.bindUser(created.token, 'dee', NO_DEADLINE, { authenticationMethod })).rejects.toThrow(
        new BadRequestError('authentication_method must be at most 64 printable ASCII characters without spaces'),
      );
    }
    expect((await stored(created.session.sessionId)).version).toBe(0);
    const bound = await on.service.bindUser(created.token, 'dee', NO_DEADLINE, { authenticationMethod: `!~${'m'.repeat(62)}` });
    expect(bound.session.authenticationMethod).toBe(`!~${'m'.repeat(62)}`);
  });

  it('caps the claims at SESSION_CLAIMS_MAX_BYTES of JSON and refuses claims user_data could not hold, changing nothing', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    // {"k":"…"} is 8 bytes around its value.
    await expect(on.service.bindUser(created.token, 'eve', NO_DEADLINE, { claims: { k: 'x'.repeat(57) } })).rejects.toThrow(
      new ClaimsTooLargeError(64),
    );
    await expect(on.service.bindUser(created.token, 'eve', NO_DEADLINE, { claims: { 'a.b': 1 } })).rejects.toBeInstanceOf(
      InvalidClaimsError,
    );
    await expect(on.service.setClaims(created.session.sessionId, { $x: 1 }, NO_DEADLINE)).rejects.toBeInstanceOf(InvalidClaimsError);
    expect(await stored(created.session.sessionId)).toMatchObject({ version: 0, userId: null, claims: {} });
    expect(on.rules.published).toEqual([]);
    const bound = await on.service.bindUser(created.token, 'eve', NO_DEADLINE, { claims: { k: 'x'.repeat(56) } });
    expect(bound.session.claims).toEqual({ k: 'x'.repeat(56) });
  });

  it("refuses another user's bind with forbidden, leaving the session and its token as they were", async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const bound = await on.service.bindUser(created.token, 'fay', NO_DEADLINE);
    on.rules.published.length = 0;
    await expect(on.service.bindUser(bound.token, 'gus', NO_DEADLINE)).rejects.toThrow(
      new ForbiddenError('the session belongs to another user'),
    );
    expect(await stored(created.session.sessionId)).toMatchObject({ userId: 'fay', version: 1 });
    expect((await on.service.validate(bound.token, false, NO_DEADLINE)).userId).toBe('fay');
    expect(on.rules.published).toEqual([]);
  });

  it('answers a bind whose write matched nothing with version_conflict, publishing nothing', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const losing = on.rules.service({ replace: { bindUserIfUnchanged: async () => null } });
    await expect(losing.bindUser(created.token, 'hal', NO_DEADLINE)).rejects.toBeInstanceOf(VersionConflictError);
    expect(on.rules.published).toEqual([]);
  });

  it('answers a bind that lost to a revocation with session_revoked, the better reason than a conflict', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const revokedMeanwhile = on.rules.service({
      replace: {
        bindUserIfUnchanged: async (base) => {
          await on.rules.repository.markRevoked(base.sessionId, on.rules.clock.now(), NO_DEADLINE);
          return null;
        },
      },
    });
    await expect(revokedMeanwhile.bindUser(created.token, 'ida', NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
    expect(on.rules.published).toEqual([]);
  });
});

/** `count` sessions bound to `userId`, the clock moving a minute before each bind (so each was seen later than the one before). */
async function boundSessions(userId: string, count: number, svc = on.service, step = MINUTE) {
  const sessions: { id: string; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const created = await svc.create(null, NO_DEADLINE);
    on.rules.clock.advance(step);
    const bound = await svc.bindUser(created.token, userId, NO_DEADLINE);
    sessions.push({ id: created.session.sessionId, token: bound.token });
  }
  return sessions;
}

describe('BindUser keeps the user at SESSION_MAX_PER_USER live sessions', () => {
  it('revokes nothing up to the limit, then the least recently seen, and publishes each revocation', async () => {
    const [a, b, c] = await boundSessions('limit1', 3);
    for (const s of [a, b, c]) await on.service.validate(s.token, false, NO_DEADLINE);
    on.rules.published.length = 0;
    const [d] = await boundSessions('limit1', 1);
    expect(on.rules.published).toEqual([
      { kind: 'rotated', sessionId: d.id, userId: 'limit1', version: 1 },
      { kind: 'revoked', sessionId: a.id, userId: 'limit1' },
    ]);
    await expect(on.service.validate(a.token, false, NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
    for (const s of [b, c, d]) await on.service.validate(s.token, false, NO_DEADLINE);
  });

  it('returns the evicted ids, judging "recently seen" by the last write of activity, not the order of binds', async () => {
    const [a, b, c] = await boundSessions('limit2', 3);
    on.rules.clock.advance(POLICY.touchIntervalMs);
    await on.service.validate(a.token, true, NO_DEADLINE); // a is now the most recently seen
    const created = await on.service.create(null, NO_DEADLINE);
    const bound = await on.service.bindUser(created.token, 'limit2', NO_DEADLINE);
    expect(bound.evicted).toEqual([b.id]);
    const created2 = await on.service.create(null, NO_DEADLINE);
    expect((await on.service.bindUser(created2.token, 'limit2', NO_DEADLINE)).evicted).toEqual([c.id]);
  });

  it('never evicts the session just bound, even when it sorts after every other', async () => {
    const [a, b, c] = await boundSessions('limit3', 3);
    // A replica whose clock runs behind: the new session's last_seen_at is the oldest of the user's.
    on.rules.clock.advance(-HOUR);
    const created = await on.service.create(null, NO_DEADLINE);
    const bound = await on.service.bindUser(created.token, 'limit3', NO_DEADLINE);
    expect(bound.evicted).toEqual([a.id]);
    for (const s of [b, c, { token: bound.token }]) await on.service.validate(s.token, false, NO_DEADLINE);
    on.rules.clock.advance(HOUR);
  });

  it('counts only live sessions: revoked ones leave room', async () => {
    const [a] = await boundSessions('limit4', 3);
    await on.service.revokeByToken(a.token, NO_DEADLINE);
    const created = await on.service.create(null, NO_DEADLINE);
    expect((await on.service.bindUser(created.token, 'limit4', NO_DEADLINE)).evicted).toEqual([]);
  });

  it('with a limit of 1, a new sign-in ends the previous session', async () => {
    const one = on.rules.service({ policy: { maxPerUser: 1 } });
    const [a, b] = await boundSessions('limit5', 2, one);
    await expect(one.validate(a.token, false, NO_DEADLINE)).rejects.toBeInstanceOf(SessionRevokedError);
    expect((await one.validate(b.token, false, NO_DEADLINE)).userId).toBe('limit5');
  });

  it('reports only the sessions this bind revoked, not one another caller revoked meanwhile', async () => {
    const [a, b] = await boundSessions('limit6', 2);
    await on.service.revokeByToken(a.token, NO_DEADLINE);
    // As if the ids were read before that revocation: a is listed but no longer revocable.
    const stale = on.rules.service({ replace: { findLiveIdsByUser: async () => [a.id, b.id] }, policy: { maxPerUser: 1 } });
    on.rules.published.length = 0;
    const created = await stale.create(null, NO_DEADLINE);
    const bound = await stale.bindUser(created.token, 'limit6', NO_DEADLINE);
    expect(bound.evicted).toEqual([b.id]);
    expect(on.rules.published.filter((c) => c.kind === 'revoked')).toEqual([{ kind: 'revoked', sessionId: b.id, userId: 'limit6' }]);
  });

  it('keeps the bind when the eviction fails part-way, saying why and what it revoked', async () => {
    const [a, b] = await boundSessions('limit7', 2);
    const failure = new Error('store gone');
    const failing = on.rules.service({
      replace: { markRevoked: markRevokedFailingAfter(on.rules.repository, 1, failure) },
      policy: { maxPerUser: 1 },
    });
    const created = await failing.create(null, NO_DEADLINE);
    const bound = await failing.bindUser(created.token, 'limit7', NO_DEADLINE);
    expect(bound.evicted).toEqual([b.id]);
    expect(bound.evictionError).toBe(failure);
    expect((await on.service.validate(bound.token, false, NO_DEADLINE)).userId).toBe('limit7');
    expect((await stored(a.id)).revokedAt).toBeNull();
  });
});
