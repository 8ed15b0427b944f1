import { status } from '@grpc/grpc-js';
import { jsonToStruct, structToJson, timestampToDate } from '@session/proto';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

describe('session.v1.SessionService over a real server and database', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => t?.close());

  const create = async (data: Record<string, unknown> = {}) => t.api.createSession({ user_data: jsonToStruct(data) });
  const bound = async (userId: string) => {
    const { token } = await create();
    return t.api.bindUser({ token, user_id: userId });
  };

  describe('CreateSession', () => {
    it('mints a token and an anonymous session with the initial data', async () => {
      const res = await create({ theme: 'dark', n: 1 });
      const session = res.session!;
      expect(res.token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
      expect(res.token.startsWith(`${session.session_id}.`)).toBe(true);
      expect(session.user_id).toBe('');
      expect(structToJson(session.user_data)).toEqual({ theme: 'dark', n: 1 });
      expect(session.version).toBe('0');
      expect(session.revoked_at).toBeNull();
      const created = timestampToDate(session.created_at)!.getTime();
      expect(timestampToDate(session.idle_expires_at)!.getTime() - created).toBe(t.config.session.idleTtlMs);
      expect(timestampToDate(session.absolute_expires_at)!.getTime() - created).toBe(t.config.session.absoluteTtlMs);
    });

    it('accepts a request without user_data', async () => {
      const res = await t.api.createSession({});
      expect(structToJson(res.session!.user_data)).toEqual({});
    });

    it('stores no secret: no field of the raw document holds the secret', async () => {
      const { token, session } = await create({ a: 1 });
      const secret = token.split('.')[1];
      const doc = await t.collection.findOne({ _id: session!.session_id });
      expect(doc).not.toBeNull();
      expect(JSON.stringify(doc)).not.toContain(secret);
      expect(doc!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(doc!.session_id).toBe(session!.session_id);
      expect(doc!.expires_at).toEqual(doc!.idle_expires_at);
    });

    it('rejects bad user_data with INVALID_ARGUMENT invalid_user_data and stores nothing', async () => {
      const before = await t.collection.countDocuments();
      const f = await failureOf(create({ $where: 1 }));
      expect(f).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'invalid_user_data' });
      expect(await t.collection.countDocuments()).toBe(before);
    });

    it('rejects user_data over the size limit with payload_too_large', async () => {
      const f = await failureOf(create({ big: 'x'.repeat(t.config.session.anonymousUserDataMaxBytes) }));
      expect(f).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'payload_too_large' });
    });
  });

  describe('ValidateSession', () => {
    it('returns the live session', async () => {
      const { token, session } = await create({ k: 'v' });
      const res = await t.api.validateSession({ token });
      expect(res.session!.session_id).toBe(session!.session_id);
      expect(structToJson(res.session!.user_data)).toEqual({ k: 'v' });
    });

    it.each([
      ['empty', ''],
      ['no dot', 'abc'],
      ['not a v4 uuid', '00000000-0000-1000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['short secret', '2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.abc'],
      ['bad secret characters', `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'+'.repeat(43)}`],
    ])('refuses a malformed token (%s) with invalid_token', async (_name, token) => {
      expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'invalid_token' });
    });

    it('answers session_not_found for an unknown id and for a wrong secret alike', async () => {
      const { token } = await create();
      const [id] = token.split('.');
      const wrongSecret = `${id}.${'A'.repeat(43)}`;
      const unknownId = `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${token.split('.')[1]}`;
      const a = await failureOf(t.api.validateSession({ token: wrongSecret }));
      const b = await failureOf(t.api.validateSession({ token: unknownId }));
      expect(a).toEqual({ code: status.UNAUTHENTICATED, errorCode: 'session_not_found', details: b.details });
      expect(b.errorCode).toBe('session_not_found');
    });

    it('answers session_revoked for a revoked session', async () => {
      const { token } = await create();
      await t.api.revokeSession({ token });
      expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({
        code: status.UNAUTHENTICATED,
        errorCode: 'session_revoked',
      });
    });
  });

  describe('GetSession', () => {
    it('returns a session by id, revoked ones included', async () => {
      const { token, session } = await create({ x: 1 });
      const id = session!.session_id;
      expect((await t.api.getSession({ session_id: id })).session!.session_id).toBe(id);
      await t.api.revokeSession({ token });
      expect((await t.api.getSession({ session_id: id })).session!.revoked_at).not.toBeNull();
    });

    it('answers NOT_FOUND for an unknown id and INVALID_ARGUMENT for a malformed one', async () => {
      expect(await failureOf(t.api.getSession({ session_id: '2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11' }))).toMatchObject({
        code: status.NOT_FOUND,
        errorCode: 'session_not_found',
      });
      expect(await failureOf(t.api.getSession({ session_id: 'nope' }))).toMatchObject({
        code: status.INVALID_ARGUMENT,
        errorCode: 'bad_request',
      });
    });
  });

  describe('UpdateSessionData', () => {
    it('merges by default (RFC 7396) and bumps the version', async () => {
      const { token } = await create({ a: 1, b: { c: 2, d: 3 } });
      const res = await t.api.updateSessionData({ token, user_data: jsonToStruct({ b: { c: null, e: 4 }, f: [1] }) });
      expect(structToJson(res.session!.user_data)).toEqual({ a: 1, b: { d: 3, e: 4 }, f: [1] });
      expect(res.session!.version).toBe('1');
    });

    it('treats a missing user_data as an empty merge patch: data kept, version bumped', async () => {
      const { token } = await create({ a: 1 });
      const res = await t.api.updateSessionData({ token });
      expect(structToJson(res.session!.user_data)).toEqual({ a: 1 });
      expect(res.session!.version).toBe('1');
    });

    it('replaces in UPDATE_MODE_REPLACE', async () => {
      const { token } = await create({ a: 1 });
      const res = await t.api.updateSessionData({ token, user_data: jsonToStruct({ z: true }), mode: 'UPDATE_MODE_REPLACE' });
      expect(structToJson(res.session!.user_data)).toEqual({ z: true });
    });

    it('stores a new object whose values equal the old ones under other keys (replace and merge)', async () => {
      const { token, session } = await create({ a: 1 });
      await t.api.updateSessionData({ token, user_data: jsonToStruct({ b: 1 }), mode: 'UPDATE_MODE_REPLACE' });
      expect((await t.collection.findOne({ _id: session!.session_id }))!.user_data).toEqual({ b: 1 });
      await t.api.updateSessionData({ token, user_data: jsonToStruct({ b: null, c: 1 }) });
      const doc = (await t.collection.findOne({ _id: session!.session_id }))!;
      expect(doc.user_data).toEqual({ c: 1 });
      expect(doc.version).toBe(2);
    });

    it('honours expected_version: ABORTED version_conflict on mismatch', async () => {
      const { token } = await create();
      const ok = await t.api.updateSessionData({ token, user_data: jsonToStruct({ a: 1 }), expected_version: 0 });
      expect(ok.session!.version).toBe('1');
      expect(await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct({ a: 2 }), expected_version: 0 }))).toMatchObject({
        code: status.ABORTED,
        errorCode: 'version_conflict',
      });
    });

    it('leaves the stored document unchanged on bad user_data, also when only the merge result is bad', async () => {
      const { token, session } = await create({ big: 'x'.repeat(t.config.session.anonymousUserDataMaxBytes - 100) });
      const before = await t.collection.findOne({ _id: session!.session_id });
      const tooBig = await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct({ more: 'y'.repeat(200) }) }));
      expect(tooBig).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'payload_too_large' });
      const badKey = await failureOf(
        t.api.updateSessionData({ token, user_data: jsonToStruct({ 'a.b': 1 }), mode: 'UPDATE_MODE_REPLACE' }),
      );
      expect(badKey).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'invalid_user_data' });
      expect(await t.collection.findOne({ _id: session!.session_id })).toEqual(before);
    });

    it('refuses a negative expected_version with bad_request', async () => {
      const { token } = await create();
      expect(await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct({}), expected_version: '-1' }))).toMatchObject({
        code: status.INVALID_ARGUMENT,
        errorCode: 'bad_request',
      });
    });

    it('answers UNAUTHENTICATED for a revoked session', async () => {
      const { token } = await create();
      await t.api.revokeSession({ token });
      expect(await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct({ a: 1 }) }))).toMatchObject({
        errorCode: 'session_revoked',
      });
    });
  });

  describe('TouchSession', () => {
    it('slides the idle expiry from now', async () => {
      const { token } = await create();
      t.clock.advance(1_000);
      const res = await t.api.touchSession({ token });
      const lastSeen = timestampToDate(res.session!.last_seen_at)!.getTime();
      expect(lastSeen).toBe(t.clock.now().getTime());
      expect(timestampToDate(res.session!.idle_expires_at)!.getTime()).toBe(lastSeen + t.config.session.idleTtlMs);
    });

    it('answers UNAUTHENTICATED for a bad token', async () => {
      expect(await failureOf(t.api.touchSession({ token: 'x' }))).toMatchObject({
        code: status.UNAUTHENTICATED,
        errorCode: 'invalid_token',
      });
    });
  });

  describe('RevokeSession', () => {
    it('revokes by token, once', async () => {
      const { token } = await create();
      expect(await t.api.revokeSession({ token })).toEqual({ revoked: true });
      expect(await t.api.revokeSession({ token })).toEqual({ revoked: false });
    });

    it('refuses a wrong secret with session_not_found', async () => {
      const { token } = await create();
      const f = await failureOf(t.api.revokeSession({ token: `${token.split('.')[0]}.${'B'.repeat(43)}` }));
      expect(f).toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'session_not_found' });
      expect((await t.api.validateSession({ token })).session).toBeTruthy();
    });

    it('revokes by id for its owner only; another user gets NOT_FOUND', async () => {
      const { session } = await bound('owner-1');
      const id = session!.session_id;
      expect(await failureOf(t.api.revokeSession({ session_id: id, user_id: 'someone-else' }))).toMatchObject({
        code: status.NOT_FOUND,
        errorCode: 'session_not_found',
      });
      expect(await t.api.revokeSession({ session_id: id, user_id: 'owner-1' })).toEqual({ revoked: true });
    });

    it('revokes by id without a user (trusted caller)', async () => {
      const { session } = await create();
      expect(await t.api.revokeSession({ session_id: session!.session_id })).toEqual({ revoked: true });
    });

    it('revokes a signed-in session by id without a user (trusted caller)', async () => {
      const { token, session } = await bound('owner-2');
      expect(await t.api.revokeSession({ session_id: session!.session_id })).toEqual({ revoked: true });
      expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({ errorCode: 'session_revoked' });
    });

    it('refuses a token whose session does not exist with session_not_found', async () => {
      const f = await failureOf(t.api.revokeSession({ token: `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'C'.repeat(43)}` }));
      expect(f).toMatchObject({ code: status.UNAUTHENTICATED, errorCode: 'session_not_found' });
    });

    it('needs a target', async () => {
      expect(await failureOf(t.api.revokeSession({ user_id: 'u' }))).toMatchObject({
        code: status.INVALID_ARGUMENT,
        errorCode: 'bad_request',
      });
    });
  });

  describe('BindUser', () => {
    it('sets the user and rotates the token: the old one stops working at once', async () => {
      const { token, session } = await create({ cart: [1] });
      const doc = await t.collection.findOne({ _id: session!.session_id });
      const res = await t.api.bindUser({ token, user_id: 'user-42' });
      expect(res.token).not.toBe(token);
      expect(res.token.split('.')[0]).toBe(session!.session_id);
      expect(res.session!.user_id).toBe('user-42');
      expect(structToJson(res.session!.user_data)).toEqual({ cart: [1] });
      expect(await failureOf(t.api.validateSession({ token }))).toMatchObject({
        code: status.UNAUTHENTICATED,
        errorCode: 'session_not_found',
      });
      expect((await t.api.validateSession({ token: res.token })).session!.user_id).toBe('user-42');
      const after = await t.collection.findOne({ _id: session!.session_id });
      expect(after!.secret_hash).not.toBe(doc!.secret_hash);
      expect(JSON.stringify(after)).not.toContain(res.token.split('.')[1]);
    });

    it('binds again to the same user but refuses another user with PERMISSION_DENIED', async () => {
      const first = await bound('user-a');
      const again = await t.api.bindUser({ token: first.token, user_id: 'user-a' });
      expect(again.session!.user_id).toBe('user-a');
      expect(await failureOf(t.api.bindUser({ token: again.token, user_id: 'user-b' }))).toMatchObject({
        code: status.PERMISSION_DENIED,
        errorCode: 'forbidden',
        details: 'the session belongs to another user',
      });
    });

    it('refuses an empty, multi-line or overlong user_id with bad_request', async () => {
      const { token } = await create();
      expect(await failureOf(t.api.bindUser({ token, user_id: '' }))).toMatchObject({
        code: status.INVALID_ARGUMENT,
        errorCode: 'bad_request',
      });
      expect(await failureOf(t.api.bindUser({ token, user_id: 'a\nb' }))).toMatchObject({ errorCode: 'bad_request' });
      expect(await failureOf(t.api.bindUser({ token, user_id: 'u'.repeat(257) }))).toMatchObject({ errorCode: 'bad_request' });
      expect((await t.api.validateSession({ token })).session!.user_id).toBe('');
    });
  });

  describe('ListUserSessions and RevokeUserSessions', () => {
    it('lists live sessions only, never a secret', async () => {
      const a = await bound('lister');
      const b = await bound('lister');
      const c = await bound('lister');
      await t.api.revokeSession({ token: c.token });
      const res = await t.api.listUserSessions({ user_id: 'lister' });
      expect(res.sessions.map((s) => s.session_id).sort()).toEqual([a.session!.session_id, b.session!.session_id].sort());
      const wire = JSON.stringify(res);
      for (const token of [a.token, b.token]) expect(wire).not.toContain(token.split('.')[1]);
      expect(wire).not.toContain('secret');
    });

    it('revokes all but one and counts them', async () => {
      const keep = await bound('revoker');
      const others = [await bound('revoker'), await bound('revoker')];
      const res = await t.api.revokeUserSessions({ user_id: 'revoker', except_session_id: keep.session!.session_id });
      expect(res.revoked_count).toBe('2');
      expect((await t.api.validateSession({ token: keep.token })).session).toBeTruthy();
      for (const o of others) expect((await failureOf(t.api.validateSession({ token: o.token }))).errorCode).toBe('session_revoked');
      expect((await t.api.revokeUserSessions({ user_id: 'revoker' })).revoked_count).toBe('1');
    });

    it("revokes only that user's sessions", async () => {
      const mine = await bound('revoke-me');
      const theirs = await bound('keep-me');
      const anonymous = await create();
      expect((await t.api.revokeUserSessions({ user_id: 'revoke-me' })).revoked_count).toBe('1');
      expect((await failureOf(t.api.validateSession({ token: mine.token }))).errorCode).toBe('session_revoked');
      expect((await t.api.validateSession({ token: theirs.token })).session!.user_id).toBe('keep-me');
      expect((await t.api.validateSession({ token: anonymous.token })).session).toBeTruthy();
    });

    it('refuses a malformed except_session_id or user_id', async () => {
      expect(await failureOf(t.api.revokeUserSessions({ user_id: 'u', except_session_id: 'x' }))).toMatchObject({
        errorCode: 'bad_request',
      });
      expect(await failureOf(t.api.listUserSessions({ user_id: '' }))).toMatchObject({
        code: status.INVALID_ARGUMENT,
        errorCode: 'bad_request',
      });
    });
  });

  it('logs request ids and lifecycle events but never a token or secret', async () => {
    const { token } = await t.api.createSession({}, { requestId: 'req-abc-123' });
    await t.api.bindUser({ token, user_id: 'logger-user' }, { requestId: 'req-bind' });
    const logs = t.logs();
    expect(logs).toMatch(/"requestId":"req-abc-123"[^\n]*"msg":"session created"/);
    expect(logs).toMatch(/"requestId":"req-bind"[^\n]*"msg":"session bound to user"/);
    expect(logs).not.toContain(token.split('.')[1]);
    expect(logs).not.toContain('secret_hash');
  });
});
