/**
 * @jest-environment node
 */
// The controller's account actions on the fake gateway, fake tabs and Jest's clock.
import { isSessionApiError } from './session-api-error';
import type { SessionController } from './session-controller';
import { parseSnapshot, SNAPSHOT_KEY } from './session-snapshot';
import { createFakeOrigin, createFakeSessionApi, type FakeOrigin, type FakeSessionApi } from './testing';
import { controllerFor, MINUTE, SECOND, until, useControllerClock } from './testing/controller-spec-support';

const started = useControllerClock();
const PASSWORD = 'correct horse battery staple';
const stored = (origin: FakeOrigin) => parseSnapshot(origin.items.get(SNAPSHOT_KEY) ?? null);
const active = (controller: SessionController) => until(controller, (s) => s.status === 'active');
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isSessionApiError(error) ? error.code : String(error)),
  );

async function anonymousTab(api: FakeSessionApi, origin = createFakeOrigin(), revalidateMs?: number) {
  const controller = started(controllerFor(api, origin.openTab(), api.fetch, revalidateMs));
  const { session } = await active(controller);
  return { controller, origin, anonymousId: session!.session_id };
}

/** Ada signed in here, and on a laptop too. */
async function signedInWithLaptop() {
  const api = createFakeSessionApi();
  api.addAccount('ada@example.com', PASSWORD);
  const { controller } = await anonymousTab(api);
  const { session_id } = await controller.signIn({ email: 'ada@example.com', password: PASSWORD });
  return { api, controller, session_id, laptop: api.signInElsewhere('ada@example.com', 'Laptop') };
}

describe('account actions', () => {
  it('sign-up binds the session (token rotated), every tab follows, and the claims stay out of localStorage', async () => {
    const api = createFakeSessionApi();
    const { controller, origin, anonymousId } = await anonymousTab(api);
    const other = started(controllerFor(api, origin.openTab()));
    await active(other);
    const cookieBefore = api.cookie;

    const session = await controller.signUp({ email: ' Ada@Example.com ', password: PASSWORD, rememberMe: true });
    expect(session).toMatchObject({ session_id: anonymousId, user_id: 'user-1', claims: { email: 'ada@example.com' } });
    expect(api.cookie).not.toBe(cookieBefore);
    expect(controller.getState().session).toMatchObject({ user_id: 'user-1' });
    expect(other.getState().session).toMatchObject({ session_id: anonymousId, user_id: 'user-1' });
    const raw = origin.items.get(SNAPSHOT_KEY)!;
    expect(stored(origin)).toMatchObject({ session: { user_id: 'user-1', remember_me: true } });
    expect(raw).not.toContain('claims');
    expect(raw).not.toContain('ada@example.com');
    expect(api.requests.find((r) => r.path === '/api/accounts')?.body).toEqual({
      email: ' Ada@Example.com ',
      password: PASSWORD,
      remember_me: true,
    });
  });

  it('a wrong password is invalid_credentials and leaves the session, its snapshot and the status as they were', async () => {
    const api = createFakeSessionApi();
    api.addAccount('ada@example.com', PASSWORD);
    const { controller, origin, anonymousId } = await anonymousTab(api);
    const before = origin.items.get(SNAPSHOT_KEY);

    expect(await codeOf(controller.signIn({ email: 'ada@example.com', password: 'not the password at all' }))).toBe('invalid_credentials');
    expect(await codeOf(controller.signIn({ email: 'nobody@example.com', password: PASSWORD }))).toBe('invalid_credentials');
    expect(controller.getState()).toMatchObject({ status: 'active', session: { session_id: anonymousId, user_id: null } });
    expect(origin.items.get(SNAPSHOT_KEY)).toBe(before);
    expect(api.count('POST', '/api/sessions')).toBe(1);
  });

  it('signs in on a replacement when the session behind the cookie was ended meanwhile, without asking again for the password', async () => {
    const api = createFakeSessionApi();
    api.addAccount('ada@example.com', PASSWORD);
    const { controller, anonymousId } = await anonymousTab(api);
    api.alter(anonymousId, { revoked_at: new Date().toISOString() });

    const session = await controller.signIn({ email: 'ada@example.com', password: PASSWORD });
    expect(session.session_id).not.toBe(anonymousId);
    expect(session.user_id).toBe('user-1');
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`).slice(1)).toEqual([
      'POST /api/sessions/current/sign-in 401',
      'POST /api/sessions 201',
      'POST /api/sessions/current/sign-in 200',
    ]);
  });

  it('sign-out ends the signed-in session in every tab and continues on a new anonymous one', async () => {
    const api = createFakeSessionApi();
    api.addAccount('ada@example.com', PASSWORD);
    const { controller, origin, anonymousId } = await anonymousTab(api);
    const other = started(controllerFor(api, origin.openTab()));
    await controller.signIn({ email: 'ada@example.com', password: PASSWORD });

    const next = await controller.signOut();
    expect(next).toMatchObject({ user_id: null });
    expect(next.session_id).not.toBe(anonymousId);
    expect(api.sessions.get(anonymousId)?.revoked_at).not.toBeNull();
    expect(other.getState()).toMatchObject({ status: 'active', session: { session_id: next.session_id, user_id: null } });
    expect(stored(origin)).toMatchObject({ session: { session_id: next.session_id, user_id: null } });
  });

  it('a signed-in tab finds out within the revalidation interval that another device signed it out; an anonymous one is not polled', async () => {
    const api = createFakeSessionApi();
    api.addAccount('ada@example.com', PASSWORD);
    const { controller, origin } = await anonymousTab(api, createFakeOrigin(), 30 * SECOND);
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    expect(api.count('GET', '/api/sessions/current')).toBe(0);

    const { session_id: signedInId } = await controller.signIn({ email: 'ada@example.com', password: PASSWORD });
    api.alter(signedInId, { revoked_at: new Date().toISOString() });
    await jest.advanceTimersByTimeAsync(30 * SECOND);
    const next = await until(controller, (s) => s.status === 'active' && s.session?.session_id !== signedInId);
    expect(next.session?.user_id).toBeNull();
    expect(stored(origin)).toMatchObject({ session: { session_id: next.session!.session_id, user_id: null } });
  });

  it('changes the password only after a recent sign-in, and ends the other devices then', async () => {
    const { api, controller, session_id, laptop } = await signedInWithLaptop();
    const newPassword = 'a brand new passphrase';

    expect(await codeOf(controller.changePassword({ currentPassword: 'wrong current password', newPassword }))).toBe('invalid_credentials');
    expect(await codeOf(controller.changePassword({ currentPassword: PASSWORD, newPassword: 'too short' }))).toBe('invalid_password');
    expect(api.sessions.get(laptop.session_id)?.revoked_at).toBeNull();

    await jest.advanceTimersByTimeAsync(11 * MINUTE);
    expect(await codeOf(controller.changePassword({ currentPassword: PASSWORD, newPassword }))).toBe('reauthentication_required');
    // A 401 about the person, not the session: still signed in, snapshot kept.
    expect(controller.getState()).toMatchObject({ status: 'active', session: { session_id, user_id: 'user-1' } });

    await controller.signIn({ email: 'ada@example.com', password: PASSWORD });
    await controller.changePassword({ currentPassword: PASSWORD, newPassword });
    expect(api.sessions.get(laptop.session_id)?.revoked_at).not.toBeNull();
    expect(api.current()?.session_id).toBe(session_id);
  });

  it('lists the devices with this one marked, signs one out, and signs out everywhere else', async () => {
    const { api, controller, session_id, laptop } = await signedInWithLaptop();
    const phone = api.signInElsewhere('ada@example.com', 'Phone');

    const devices = await controller.listDevices();
    expect(devices.map((d) => [d.session_id, d.current])).toEqual(
      expect.arrayContaining([
        [session_id, true],
        [laptop.session_id, false],
        [phone.session_id, false],
      ]),
    );
    expect(devices.every((d) => !('user_data' in d))).toBe(true);

    await controller.signOutDevice(laptop.session_id);
    // Already gone counts as done.
    await controller.signOutDevice(laptop.session_id);
    expect((await controller.listDevices()).map((d) => d.session_id).sort()).toEqual([session_id, phone.session_id].sort());

    expect(await controller.signOutOtherDevices()).toBe(1);
    expect((await controller.listDevices()).map((d) => d.session_id)).toEqual([session_id]);
  });
});
