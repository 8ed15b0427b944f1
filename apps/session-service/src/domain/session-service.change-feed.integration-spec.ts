import { markRevokedFailingAfter, rulesOnDbPerFile } from '../testing/rules-on-db';
import { NO_DEADLINE } from './call-context';
import { BadRequestError, ReauthenticationRequiredError, SessionIdNotFoundError, VersionConflictError } from './errors';
import { MAX_TOUCH_BATCH } from './session-service';

const MINUTE = 60_000;
const POLICY = { idleTtlMs: 30 * MINUTE, absoluteTtlMs: 24 * 60 * MINUTE, touchIntervalMs: MINUTE, maxPerUser: 100 };

const on = rulesOnDbPerFile(POLICY);

const idleFromNow = () => new Date(on.rules.clock.now().getTime() + POLICY.idleTtlMs);

async function signedIn(userId: string) {
  const created = await on.service.create(null, NO_DEADLINE);
  const bound = await on.service.bindUser(created.token, userId, NO_DEADLINE);
  on.rules.published.length = 0;
  return { id: created.session.sessionId, token: bound.token };
}

describe('what each write publishes to the change feed', () => {
  it('publishes nothing for a creation, a validation without extend, or one within the touch interval', async () => {
    const { token } = await on.service.create({ a: 1 }, NO_DEADLINE);
    await on.service.validate(token, false, NO_DEADLINE);
    on.rules.clock.advance(POLICY.touchIntervalMs - 1);
    await on.service.validate(token, true, NO_DEADLINE);
    expect(on.rules.published).toEqual([]);
  });

  it('publishes EXTENDED with the new idle expiry once a validation with extend finds the touch due', async () => {
    const { id, token } = await signedIn('ext1');
    on.rules.clock.advance(POLICY.touchIntervalMs);
    const session = await on.service.validate(token, true, NO_DEADLINE);
    expect(session.idleExpiresAt).toEqual(idleFromNow());
    expect(on.rules.published).toEqual([{ kind: 'extended', sessionId: id, userId: 'ext1', idleExpiresAt: idleFromNow() }]);
  });

  it('publishes EXTENDED for a TouchSession, due or not', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const touched = await on.service.touch(created.token, NO_DEADLINE);
    expect(touched.lastSeenAt).toEqual(on.rules.clock.now());
    expect(on.rules.published).toEqual([
      { kind: 'extended', sessionId: created.session.sessionId, userId: null, idleExpiresAt: idleFromNow() },
    ]);
  });

  it('publishes UPDATED with the new version for a data update and for new claims', async () => {
    const { id, token } = await signedIn('upd1');
    const updated = await on.service.updateData(token, { userData: { theme: 'dark' }, mode: 'merge' }, NO_DEADLINE);
    expect(updated.version).toBe(2);
    const claimed = await on.service.setClaims(id, { tier: 'gold' }, NO_DEADLINE);
    expect(claimed).toMatchObject({ version: 3, claims: { tier: 'gold' }, userData: { theme: 'dark' } });
    expect((await on.rules.repository.findById(id, NO_DEADLINE))!.claims).toEqual({ tier: 'gold' });
    expect(on.rules.published).toEqual([
      { kind: 'updated', sessionId: id, userId: 'upd1', version: 2 },
      { kind: 'updated', sessionId: id, userId: 'upd1', version: 3 },
    ]);
    expect((await on.service.setClaims(id, null, NO_DEADLINE)).claims).toEqual({});
  });

  it('publishes REVOKED once, by token or by id, with the owner', async () => {
    const a = await signedIn('rev1');
    const b = await signedIn('rev1');
    on.rules.published.length = 0;
    expect(await on.service.revokeByToken(a.token, NO_DEADLINE)).toEqual({ sessionId: a.id, revoked: true });
    expect(await on.service.revokeByToken(a.token, NO_DEADLINE)).toEqual({ sessionId: a.id, revoked: false });
    await expect(on.service.revokeById(b.id, 'someone-else', NO_DEADLINE)).rejects.toBeInstanceOf(SessionIdNotFoundError);
    expect(await on.service.revokeById(b.id, 'rev1', NO_DEADLINE)).toEqual({ sessionId: b.id, revoked: true });
    const anonymous = await on.service.create(null, NO_DEADLINE);
    expect(await on.service.revokeById(anonymous.session.sessionId, null, NO_DEADLINE)).toEqual({
      sessionId: anonymous.session.sessionId,
      revoked: true,
    });
    expect(on.rules.published).toEqual([
      { kind: 'revoked', sessionId: a.id, userId: 'rev1' },
      { kind: 'revoked', sessionId: b.id, userId: 'rev1' },
      { kind: 'revoked', sessionId: anonymous.session.sessionId, userId: null },
    ]);
  });

  it('publishes one USER_REVOKED naming the kept session, and none when nothing was revoked', async () => {
    const kept = await signedIn('all1');
    const others = [await signedIn('all1'), await signedIn('all1')];
    const revoked = await on.service.revokeAllForUser('all1', kept.id, NO_DEADLINE);
    expect(revoked.sort()).toEqual(others.map((o) => o.id).sort());
    expect(await on.service.revokeAllForUser('all1', kept.id, NO_DEADLINE)).toEqual([]);
    expect(await on.service.revokeAllForUser('nobody', null, NO_DEADLINE)).toEqual([]);
    expect(on.rules.published).toEqual([{ kind: 'user_revoked', userId: 'all1', exceptSessionId: kept.id }]);
    expect((await on.service.validate(kept.token, false, NO_DEADLINE)).userId).toBe('all1');
  });
  it('still publishes USER_REVOKED when revoking all stops part-way, for the sessions it did revoke', async () => {
    const [a, b] = [await signedIn('all2'), await signedIn('all2')];
    on.rules.published.length = 0;
    const failure = new Error('store gone');
    const failing = on.rules.service({ replace: { markRevoked: markRevokedFailingAfter(on.rules.repository, 1, failure) } });
    await expect(failing.revokeAllForUser('all2', null, NO_DEADLINE)).rejects.toBe(failure);
    expect(on.rules.published).toEqual([{ kind: 'user_revoked', userId: 'all2', exceptSessionId: null }]);
    const states = [
      (await on.rules.repository.findById(a.id, NO_DEADLINE))!.revokedAt,
      (await on.rules.repository.findById(b.id, NO_DEADLINE))!.revokedAt,
    ];
    expect(states.filter((revokedAt) => revokedAt !== null)).toHaveLength(1);
    on.rules.published.length = 0;
    const failingAtOnce = on.rules.service({ replace: { markRevoked: markRevokedFailingAfter(on.rules.repository, 0, failure) } });
    await expect(failingAtOnce.revokeAllForUser('all2', null, NO_DEADLINE)).rejects.toBe(failure);
    expect(on.rules.published).toEqual([]);
  });
});

describe('TouchSessions (touchMany)', () => {
  it('moves each due live session once, publishes EXTENDED for each, and counts them', async () => {
    const a = await signedIn('many1');
    const b = await on.service.create(null, NO_DEADLINE);
    const revoked = await signedIn('many1');
    await on.service.revokeByToken(revoked.token, NO_DEADLINE);
    on.rules.clock.advance(POLICY.touchIntervalMs);
    const fresh = await on.service.create(null, NO_DEADLINE); // written just now: not due
    on.rules.published.length = 0;
    const ids = [a.id, b.session.sessionId, a.id, revoked.id, fresh.session.sessionId];
    expect(await on.service.touchMany(ids, NO_DEADLINE)).toBe(2);
    const idleExpiresAt = idleFromNow();
    expect(on.rules.published).toEqual(
      expect.arrayContaining([
        { kind: 'extended', sessionId: a.id, userId: 'many1', idleExpiresAt },
        { kind: 'extended', sessionId: b.session.sessionId, userId: null, idleExpiresAt },
      ]),
    );
    expect(on.rules.published).toHaveLength(2);
    expect(await on.rules.repository.findById(a.id, NO_DEADLINE)).toMatchObject({ lastSeenAt: on.rules.clock.now(), idleExpiresAt });
  });

  it(`takes up to ${MAX_TOUCH_BATCH} session ids and names the first malformed one`, async () => {
    const id = (await on.service.create(null, NO_DEADLINE)).session.sessionId;
    expect(await on.service.touchMany(Array<string>(MAX_TOUCH_BATCH).fill(id), NO_DEADLINE)).toBe(0);
    await expect(on.service.touchMany(Array<string>(MAX_TOUCH_BATCH + 1).fill(id), NO_DEADLINE)).rejects.toThrow(
      new BadRequestError(`session_ids holds at most ${MAX_TOUCH_BATCH} ids`),
    );
    await expect(on.service.touchMany([id, 'nope', 'bad'], NO_DEADLINE)).rejects.toThrow(
      new BadRequestError('session_ids[1] is not a UUID v4 session id'),
    );
    expect(await on.service.touchMany([], NO_DEADLINE)).toBe(0);
    expect(on.rules.published).toEqual([]);
  });
});

describe('ValidateSession with max_authentication_age', () => {
  it('accepts a sign-in exactly that old, refuses one a millisecond older and any anonymous session', async () => {
    const { token } = await signedIn('age1');
    on.rules.clock.advance(5_000);
    expect((await on.service.validate(token, false, NO_DEADLINE, 5_000)).userId).toBe('age1');
    await expect(on.service.validate(token, false, NO_DEADLINE, 4_999)).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    const anonymous = await on.service.create(null, NO_DEADLINE);
    await expect(on.service.validate(anonymous.token, false, NO_DEADLINE, 60_000)).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    expect((await on.service.validate(anonymous.token, false, NO_DEADLINE)).userId).toBeNull();
  });

  it('refuses a negative or non-finite age with bad_request, and takes 0', async () => {
    const { token } = await signedIn('age2');
    for (const age of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      await expect(on.service.validate(token, false, NO_DEADLINE, age)).rejects.toThrow(
        new BadRequestError('max_authentication_age must not be negative'),
      );
    expect((await on.service.validate(token, false, NO_DEADLINE, 0)).userId).toBe('age2');
  });
});

describe('SetSessionClaims and GetSession on sessions that are not live', () => {
  it('gives no claims to a revoked, expired or unknown session, and gives up after three lost writes', async () => {
    const revoked = await signedIn('claims1');
    const live = await signedIn('claims1');
    on.rules.published.length = 0;
    await on.service.revokeByToken(revoked.token, NO_DEADLINE);
    await expect(on.service.setClaims(revoked.id, { a: 1 }, NO_DEADLINE)).rejects.toBeInstanceOf(SessionIdNotFoundError);
    await expect(on.service.setClaims('2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11', { a: 1 }, NO_DEADLINE)).rejects.toBeInstanceOf(
      SessionIdNotFoundError,
    );
    let writes = 0;
    const losing = on.rules.service({
      replace: {
        writeClaimsIfVersion: async () => {
          writes++;
          return null;
        },
      },
    });
    await expect(losing.setClaims(live.id, { a: 1 }, NO_DEADLINE)).rejects.toBeInstanceOf(VersionConflictError);
    expect(writes).toBe(3);
    // Revoked sessions stay visible to GetSession until swept.
    expect((await on.service.get(revoked.id, NO_DEADLINE)).revokedAt).not.toBeNull();
    on.rules.clock.advance(POLICY.idleTtlMs);
    await expect(on.service.setClaims(live.id, { a: 1 }, NO_DEADLINE)).rejects.toBeInstanceOf(SessionIdNotFoundError);
    await expect(on.service.get(live.id, NO_DEADLINE)).rejects.toBeInstanceOf(SessionIdNotFoundError);
    expect(on.rules.published).toEqual([{ kind: 'revoked', sessionId: revoked.id, userId: 'claims1' }]);
  });

  it('rereads and retries a claims write another replica won, and succeeds on the fresh version', async () => {
    const live = await signedIn('claims2');
    let lost = false;
    const retrying = on.rules.service({
      replace: {
        writeClaimsIfVersion: async (change, ctx) => {
          if (!lost) {
            lost = true;
            return null;
          }
          return on.rules.repository.writeClaimsIfVersion(change, ctx);
        },
      },
    });
    expect(await retrying.setClaims(live.id, { b: 2 }, NO_DEADLINE)).toMatchObject({ version: 2, claims: { b: 2 } });
  });
});
