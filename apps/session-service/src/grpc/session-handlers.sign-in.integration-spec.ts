import { status } from '@grpc/grpc-js';
import { startEmbeddedDb, type EmbeddedDb } from '@session/testing';
import { jsonToStruct, structToJson, timestampToDate, type Session__Output } from '@session/proto';
import { FeedWatcher } from '../testing/feed-watcher';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const reauth = { code: status.FAILED_PRECONDITION, errorCode: 'reauthentication_required' };
const seconds = (s: number) => ({ seconds: String(s), nanos: 0 });
const absoluteOf = (s: Session__Output | null) => timestampToDate(s!.absolute_expires_at)!.getTime();

let db: EmbeddedDb;
beforeAll(async () => {
  db = await startEmbeddedDb();
});
afterAll(async () => db?.stop({ removeData: true }));

describe('what a sign-in (BindUser) records, over a real port', () => {
  let t: TestService;
  const watchers: FeedWatcher[] = [];
  beforeAll(async () => {
    t = await startTestService({
      db,
      env: { SESSION_ABSOLUTE_TTL: '30d', SESSION_BROWSER_ABSOLUTE_TTL: '12h', SESSION_IDLE_TTL: '7d', SESSION_TOUCH_INTERVAL: '60s' },
    });
  });
  afterEach(() => watchers.splice(0).forEach((w) => w.close()));
  afterAll(async () => t?.close());
  const anonymous = async () => (await t.api.createSession({})).token;

  it('without remember_me: absolute expiry at most 12h from the bind, and remember_me false in the answer', async () => {
    const created = t.clock.now().getTime();
    const token = await anonymous();
    t.clock.advance(HOUR);
    const bound = await t.api.bindUser({ token, user_id: 'rm-off', authentication_method: 'password', remember_me: false });
    expect(bound.session!.remember_me).toBe(false);
    expect(absoluteOf(bound.session)).toBe(created + HOUR + 12 * HOUR);
    expect(timestampToDate(bound.session!.authenticated_at)!.getTime()).toBe(created + HOUR);
    expect(bound.session!.authentication_method).toBe('password');
    // The stored expiry is what the sweeper and every read go by: the session ends after 12h.
    t.clock.advance(12 * HOUR);
    expect(await failureOf(t.api.validateSession({ token: bound.token }))).toMatchObject({
      code: status.UNAUTHENTICATED,
      errorCode: 'session_expired',
    });
  });

  it('with remember_me: the full SESSION_ABSOLUTE_TTL from creation, also after a bind without it had shortened it', async () => {
    const created = t.clock.now().getTime();
    const first = await t.api.bindUser({ token: await anonymous(), user_id: 'rm-on' });
    expect(absoluteOf(first.session)).toBe(created + 12 * HOUR);
    t.clock.advance(MINUTE);
    const again = await t.api.bindUser({ token: first.token, user_id: 'rm-on', remember_me: true });
    expect(again.session!.remember_me).toBe(true);
    expect(absoluteOf(again.session)).toBe(created + 30 * DAY);
  });

  it('a sign-in without remember_me never lengthens a session ending sooner than 12h', async () => {
    const created = t.clock.now().getTime();
    const token = await anonymous();
    // Kept in use (idle TTL 7d) until 2h before its absolute expiry.
    for (let day = 6; day < 30; day += 6) {
      t.clock.advance(6 * DAY);
      await t.api.validateSession({ token });
    }
    t.clock.advance(30 * DAY - 2 * HOUR - 24 * DAY);
    const bound = await t.api.bindUser({ token, user_id: 'late-bind', remember_me: false });
    expect(absoluteOf(bound.session)).toBe(created + 30 * DAY);
  });

  it('leaves anonymous sessions as they were: SESSION_ABSOLUTE_TTL, no authentication, remember_me false', async () => {
    const now = t.clock.now().getTime();
    const { session } = await t.api.createSession({});
    expect(absoluteOf(session)).toBe(now + 30 * DAY);
    expect(session!.authenticated_at).toBeNull();
    expect(session!.authentication_method).toBe('');
    expect(session!.remember_me).toBe(false);
  });

  it('max_authentication_age: a recent sign-in passes, an older one or an anonymous session is FAILED_PRECONDITION reauthentication_required, with nothing written', async () => {
    const anon = await anonymous();
    expect(await failureOf(t.api.validateSession({ token: anon, max_authentication_age: seconds(600) }))).toMatchObject(reauth);
    const bound = await t.api.bindUser({ token: anon, user_id: 'reauth-user', authentication_method: 'password' });
    t.clock.advance(10 * MINUTE);
    const fresh = await t.api.validateSession({ token: bound.token, max_authentication_age: seconds(600) });
    expect(fresh.session!.user_id).toBe('reauth-user');

    // Past the touch interval, a refused validation must not slide the idle expiry (no write, no EXTENDED).
    t.clock.advance(2 * MINUTE);
    const watcher = new FeedWatcher(t.address);
    watchers.push(watcher);
    await watcher.untilChanges(1); // RESET
    const id = bound.session!.session_id;
    const before = await t.collection.findOne({ _id: id });
    expect(await failureOf(t.api.validateSession({ token: bound.token, max_authentication_age: seconds(600) }))).toMatchObject(reauth);
    expect(await t.collection.findOne({ _id: id })).toEqual(before);
    // A validation without the option still works (and extends): the refusal changed nothing about the session.
    await t.api.validateSession({ token: bound.token });
    await watcher.untilChanges(2);
    expect(watcher.changes.map((m) => m.kind)).toEqual(['SESSION_CHANGE_KIND_RESET', 'SESSION_CHANGE_KIND_EXTENDED']);
  });

  it('refuses a negative max_authentication_age and a malformed authentication_method as INVALID_ARGUMENT, binding nothing', async () => {
    const token = await anonymous();
    expect(await failureOf(t.api.validateSession({ token, max_authentication_age: { seconds: '-1', nanos: 0 } }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'bad_request',
    });
    expect(await failureOf(t.api.bindUser({ token, user_id: 'u', authentication_method: 'pass word' }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'bad_request',
    });
    expect((await t.api.validateSession({ token })).session!.user_id).toBe('');
  });

  it('bind -> ROTATED with the new version and the user on the feed', async () => {
    const watcher = new FeedWatcher(t.address);
    watchers.push(watcher);
    await watcher.untilChanges(1);
    const bound = await t.api.bindUser({ token: await anonymous(), user_id: 'feed-bind' });
    await watcher.untilChanges(2);
    expect(watcher.changes[1]).toMatchObject({
      kind: 'SESSION_CHANGE_KIND_ROTATED',
      session_id: bound.session!.session_id,
      user_id: 'feed-bind',
      version: bound.session!.version,
    });
  });
});

describe('claims, over a real port', () => {
  let t: TestService;
  const watchers: FeedWatcher[] = [];
  beforeAll(async () => {
    t = await startTestService({ db, env: { SESSION_CLAIMS_MAX_BYTES: '64' } });
  });
  afterEach(() => watchers.splice(0).forEach((w) => w.close()));
  afterAll(async () => t?.close());
  const signedIn = async (userId: string, claims: Record<string, unknown> = { role: 'admin' }) =>
    t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: userId, claims: jsonToStruct(claims) });

  it('BindUser sets them; ValidateSession, GetSession and ListUserSessions return them', async () => {
    const bound = await signedIn('claims-read');
    const id = bound.session!.session_id;
    expect(structToJson(bound.session!.claims!)).toEqual({ role: 'admin' });
    expect(structToJson((await t.api.validateSession({ token: bound.token })).session!.claims!)).toEqual({ role: 'admin' });
    expect(structToJson((await t.api.getSession({ session_id: id })).session!.claims!)).toEqual({ role: 'admin' });
    const listed = await t.api.listUserSessions({ user_id: 'claims-read' });
    expect(structToJson(listed.sessions[0].claims!)).toEqual({ role: 'admin' });
  });

  it('SetSessionClaims replaces them whole, moves the version, and the feed says UPDATED with that version', async () => {
    const bound = await signedIn('claims-set');
    const watcher = new FeedWatcher(t.address);
    watchers.push(watcher);
    await watcher.untilChanges(1);
    // Same values in the same order under other keys: the write FerretDB's $set would lose.
    const set = await t.api.setSessionClaims({ session_id: bound.session!.session_id, claims: jsonToStruct({ tier: 'admin' }) });
    expect(structToJson(set.session!.claims!)).toEqual({ tier: 'admin' });
    expect(Number(set.session!.version)).toBe(Number(bound.session!.version) + 1);
    expect(structToJson((await t.api.validateSession({ token: bound.token })).session!.claims!)).toEqual({ tier: 'admin' });
    await watcher.untilChanges(2);
    expect(watcher.changes[1]).toMatchObject({
      kind: 'SESSION_CHANGE_KIND_UPDATED',
      session_id: bound.session!.session_id,
      user_id: 'claims-set',
      version: set.session!.version,
    });
  });

  it('refuses claims over SESSION_CLAIMS_MAX_BYTES or with unsafe keys, on both RPCs, changing nothing', async () => {
    const bound = await signedIn('claims-limit');
    const id = bound.session!.session_id;
    const before = await t.collection.findOne({ _id: id });
    const tooLarge = jsonToStruct({ blob: 'x'.repeat(64) });
    expect(await failureOf(t.api.setSessionClaims({ session_id: id, claims: tooLarge }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'payload_too_large',
    });
    expect(await failureOf(t.api.setSessionClaims({ session_id: id, claims: jsonToStruct({ $where: 1 }) }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'bad_request',
    });
    expect(await failureOf(t.api.bindUser({ token: bound.token, user_id: 'claims-limit', claims: tooLarge }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'payload_too_large',
    });
    expect(await t.collection.findOne({ _id: id })).toEqual(before);
    // Exactly at the limit is accepted: {"b":"<56 x>"} is 64 bytes.
    await t.api.setSessionClaims({ session_id: id, claims: jsonToStruct({ b: 'x'.repeat(56) }) });
  });

  it('cannot be reached through UpdateSessionData: a "claims" key there is user data, the claims stay', async () => {
    const bound = await signedIn('claims-readonly');
    for (const mode of ['UPDATE_MODE_MERGE', 'UPDATE_MODE_REPLACE'] as const) {
      const updated = await t.api.updateSessionData({ token: bound.token, mode, user_data: jsonToStruct({ claims: { role: 'owner' } }) });
      expect(structToJson(updated.session!.claims!)).toEqual({ role: 'admin' });
      expect(structToJson(updated.session!.user_data!)).toEqual({ claims: { role: 'owner' } });
    }
    expect((await t.collection.findOne({ _id: bound.session!.session_id }))!.claims).toEqual({ role: 'admin' });
  });

  it('SetSessionClaims on an unknown, revoked or malformed id: NOT_FOUND / INVALID_ARGUMENT', async () => {
    const bound = await signedIn('claims-gone');
    await t.api.revokeSession({ token: bound.token });
    const claims = jsonToStruct({ role: 'x' });
    expect(await failureOf(t.api.setSessionClaims({ session_id: bound.session!.session_id, claims }))).toMatchObject({
      code: status.NOT_FOUND,
      errorCode: 'session_not_found',
    });
    expect(await failureOf(t.api.setSessionClaims({ session_id: '2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11', claims }))).toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(await failureOf(t.api.setSessionClaims({ session_id: 'nope', claims }))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});

describe.each([
  ['truncated', '203.0.113.0', '2001:db8:1234::'],
  ['full', '203.0.113.77', '2001:db8:1234:5678::9'],
  ['none', '', ''],
] as const)('device capture with DEVICE_ADDRESS_STORAGE=%s', (storage, v4, v6) => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ db, env: { DEVICE_ADDRESS_STORAGE: storage } });
  });
  afterAll(async () => t?.close());
  const agent = 'Mozilla/5.0 (X11; Linux x86_64)';

  it('stores the address so at CreateSession and BindUser, and returns the device in the session and in ListUserSessions', async () => {
    const created = await t.api.createSession({ device: { user_agent: agent, client_address: '203.0.113.77' } });
    expect(created.session!.device).toEqual({ user_agent: agent, client_address: v4 });
    const stored = await t.collection.findOne({ _id: created.session!.session_id });
    expect(stored!.device).toEqual({ user_agent: agent, client_address: v4 });
    const bound = await t.api.bindUser({
      token: created.token,
      user_id: `dev-${storage}`,
      device: { user_agent: 'Other', client_address: '2001:db8:1234:5678::9' },
    });
    expect(bound.session!.device).toEqual({ user_agent: 'Other', client_address: v6 });
    const listed = await t.api.listUserSessions({ user_id: `dev-${storage}` });
    expect(listed.sessions[0].device).toEqual({ user_agent: 'Other', client_address: v6 });
  });

  it('cuts the user agent to 512 characters and refuses an address that is no IP, creating nothing', async () => {
    const long = await t.api.createSession({ device: { user_agent: 'a'.repeat(5_000), client_address: '' } });
    expect(long.session!.device!.user_agent).toHaveLength(512);
    const count = await t.collection.countDocuments({});
    expect(await failureOf(t.api.createSession({ device: { user_agent: agent, client_address: 'evil.example' } }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      errorCode: 'bad_request',
    });
    expect(await t.collection.countDocuments({})).toBe(count);
  });
});
