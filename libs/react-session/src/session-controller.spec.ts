/**
 * @jest-environment node
 */
// Plain Node: no DOM, no React. The controller runs wherever a script does,
// here on fakes for fetch (the fake gateway), storage and tabs (a fake
// origin) and time (Jest's clock).
import type { SessionDto } from '@session/rest-contract';
import type { SessionController } from './session-controller';
import { createSessionRestClient, type FetchLike } from './session-rest-client';
import { parseSnapshot, sessionSnapshot, SNAPSHOT_KEY } from './session-snapshot';
import type { SessionState } from './session-state';
import { createFakeOrigin, createFakeSessionApi, type FakeOrigin, type FakeSessionApi } from './testing';
import { controllerFor, MINUTE, SECOND, until, useControllerClock } from './testing/controller-spec-support';

const started = useControllerClock();

const active = (controller: SessionController) => until(controller, (s) => s.status === 'active');
const stored = (origin: FakeOrigin) => parseSnapshot(origin.items.get(SNAPSHOT_KEY) ?? null);

/** An active tab whose stored snapshot names a user and holds their data. */
async function signedInTab(api: FakeSessionApi, origin: FakeOrigin, tab = origin.openTab(), fetch?: FetchLike) {
  const controller = started(controllerFor(api, tab, fetch));
  const { session } = await active(controller);
  api.alter(session!.session_id, { user_id: 'user-42' });
  await controller.updateData({ name: 'Ada' });
  expect(stored(origin)).toMatchObject({ session: { user_id: 'user-42', user_data: { name: 'Ada' } } });
  return { controller, tab, id: session!.session_id };
}

describe('createSessionController', () => {
  it('emits every change to its subscribers and keeps getState stable between changes', async () => {
    const api = createFakeSessionApi();
    const controller = started(controllerFor(api, createFakeOrigin().openTab()));
    const seen: SessionState[] = [];
    controller.subscribe(() => seen.push(controller.getState()));

    const first = await active(controller);
    expect(controller.getState()).toBe(controller.getState());
    await controller.updateData({ theme: 'dark' });
    expect(seen.at(-1)).toBe(controller.getState());
    expect(seen.at(-1)).toMatchObject({
      status: 'active',
      error: null,
      session: { session_id: first.session!.session_id, user_data: { theme: 'dark' } },
    });

    const before = seen.length;
    await jest.advanceTimersByTimeAsync(3 * SECOND);
    // The countdown ticks once a second.
    expect(seen.slice(before).map((s) => s.timeLeftMs)).toEqual([1, 2, 3].map((n) => (seen[before - 1].timeLeftMs ?? 0) - n * SECOND));
  });

  it('keeps one validation in flight however many callers ask at once', async () => {
    const api = createFakeSessionApi();
    const origin = createFakeOrigin();
    const { session } = await createSessionRestClient({ fetch: api.fetch }).create();
    origin.items.set(SNAPSHOT_KEY, JSON.stringify(sessionSnapshot(session)));
    api.requests.length = 0;

    const controller = controllerFor(api, origin.openTab());
    expect(controller.getState()).toMatchObject({ status: 'loading', session: { session_id: session.session_id } });
    started(controller);
    const answers = await Promise.all([controller.refresh(), controller.refresh(), controller.refresh()]);
    expect(answers.map((s) => s.session_id)).toEqual([session.session_id, session.session_id, session.session_id]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/sessions/current']);
    // Once it is answered, the next call asks again.
    await controller.refresh();
    expect(api.requests).toHaveLength(2);
  });

  it('nests starts (a React StrictMode remount): one validation, and nothing runs after the last stop', async () => {
    const api = createFakeSessionApi();
    const controller = controllerFor(api, createFakeOrigin().openTab());
    const stopFirst = controller.start();
    const stopSecond = controller.start();
    await active(controller);
    expect(api.requests).toHaveLength(1);

    stopFirst();
    stopFirst();
    expect(jest.getTimerCount()).toBe(1);
    stopSecond();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('removes the snapshot, user id and data with it, when the session expires by the clock', async () => {
    const api = createFakeSessionApi({ idleTtlMs: MINUTE });
    const origin = createFakeOrigin();
    // Hidden: the expired session is not replaced yet, so nothing new overwrites the snapshot.
    const { controller, tab } = await signedInTab(api, origin, origin.openTab({ visible: false }));
    const requests = api.requests.length;

    await jest.advanceTimersByTimeAsync(MINUTE - 2 * SECOND);
    expect(stored(origin)).toMatchObject({ session: { user_id: 'user-42' } });
    await jest.advanceTimersByTimeAsync(3 * SECOND);
    expect(controller.getState().status).toBe('expired');
    expect(origin.items.has(SNAPSHOT_KEY)).toBe(false);
    expect(api.requests).toHaveLength(requests);

    // Seen again: replaced by a new, anonymous session.
    tab.setVisible(true);
    const next = await until(controller, (s) => s.status === 'active');
    expect(stored(origin)).toMatchObject({ session: { session_id: next.session!.session_id, user_id: null, user_data: {} } });
  });

  it('judges that expiry by the server clock measured from the answers', async () => {
    // The server's clock runs 5 minutes ahead: read by this clock alone, its expiry times would lie 15 minutes off, not 10.
    const api = createFakeSessionApi({ idleTtlMs: 10 * MINUTE, now: () => Date.now() + 5 * MINUTE });
    const origin = createFakeOrigin();
    const { controller } = await signedInTab(api, origin, origin.openTab({ visible: false }));

    await jest.advanceTimersByTimeAsync(10 * MINUTE - 2 * SECOND);
    expect(stored(origin)).not.toBeNull();
    await jest.advanceTimersByTimeAsync(3 * SECOND);
    expect(controller.getState().status).toBe('expired');
    expect(stored(origin)).toBeNull();
  });

  it('neither shows nor keeps an expired snapshot found at start', async () => {
    const api = createFakeSessionApi();
    const origin = createFakeOrigin();
    const { session } = await createSessionRestClient({ fetch: api.fetch }).create({ name: 'Ada' });
    const expired: SessionDto = { ...session, user_id: 'user-42', idle_expires_at: new Date(Date.now() - SECOND).toISOString() };
    origin.items.set(SNAPSHOT_KEY, JSON.stringify(sessionSnapshot(expired)));
    api.requests.length = 0;

    const controller = controllerFor(api, origin.openTab());
    expect(controller.getState()).toMatchObject({ status: 'loading', session: null });
    expect(origin.items.has(SNAPSHOT_KEY)).toBe(false);
    await active(started(controller));
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /api/sessions 201']);
  });

  // A new session would overwrite the snapshot at once; with creation failing, only the removal can clear it.
  it.each([
    ['touch', (c: SessionController) => c.touch()],
    ['updateData', (c: SessionController) => c.updateData({ name: 'Grace' })],
    ['replaceData', (c: SessionController) => c.replaceData({})],
    ['refresh', (c: SessionController) => c.refresh()],
    ['endSession', (c: SessionController) => c.endSession()],
  ])('removes the snapshot on a 401 to %s, before and whether or not a new session can be made', async (_name, call) => {
    const api = createFakeSessionApi();
    const origin = createFakeOrigin();
    let creating = true;
    const fetch: FetchLike = (url, init) =>
      creating || init.method !== 'POST' || url !== '/api/sessions'
        ? api.fetch(url, init)
        : Promise.reject(new TypeError('Failed to fetch'));
    const { controller, id } = await signedInTab(api, origin, undefined, fetch);
    api.alter(id, { revoked_at: new Date().toISOString() });
    creating = false;

    await call(controller).catch(() => undefined);
    expect(api.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(JSON.stringify(stored(origin) ?? {})).not.toMatch(/user-42|Ada/);
  });

  it('on a 401, leaves alone the snapshot another tab stored meanwhile for a newer session, and moves onto that one', async () => {
    const api = createFakeSessionApi();
    const origin = createFakeOrigin();
    let answered!: () => void;
    const refused = new Promise<void>((resolve) => (answered = resolve));
    let deliver!: () => void;
    const held = new Promise<void>((resolve) => (deliver = resolve));
    // The touch's 401 is decided at once but reaches the tab only after the other tab's work below.
    const fetch: FetchLike = async (url, init) => {
      const response = await api.fetch(url, init);
      if (url !== '/api/sessions/current/touch') return response;
      answered();
      await held;
      return response;
    };
    const { controller, id } = await signedInTab(api, origin, undefined, fetch);
    api.alter(id, { revoked_at: new Date().toISOString() });

    const touched = controller.touch();
    await refused;
    const { session: newer } = await createSessionRestClient({ fetch: api.fetch }).create({ name: 'newer' });
    origin.openTab().storage.setItem(SNAPSHOT_KEY, JSON.stringify(sessionSnapshot(newer)));
    const before = api.requests.length;
    deliver();

    expect((await touched).session_id).toBe(newer.session_id);
    expect(stored(origin)).toMatchObject({ session_id: newer.session_id });
    expect(controller.getState().session?.session_id).toBe(newer.session_id);
    // The refused session was the old one: the newer one is confirmed, not replaced by a third.
    expect(api.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/sessions/current 200']);
  });

  it('on expiry, leaves alone a fresher copy of the same session another tab stored unheard', async () => {
    const api = createFakeSessionApi({ idleTtlMs: MINUTE });
    const origin = createFakeOrigin();
    const { controller, id } = await signedInTab(api, origin, origin.openTab({ visible: false }));
    // Another tab extended the session; this tab, asleep, missed the storage event.
    const extended = api.alter(id, { idle_expires_at: new Date(Date.now() + 10 * MINUTE).toISOString() });
    origin.items.set(SNAPSHOT_KEY, JSON.stringify(sessionSnapshot(extended)));

    await jest.advanceTimersByTimeAsync(MINUTE + SECOND);
    expect(controller.getState().status).toBe('expired');
    expect(stored(origin)).toMatchObject({ session: { idle_expires_at: extended.idle_expires_at, user_id: 'user-42' } });
  });

  it("follows another tab's end and the session it starts next, through the storage it shares", async () => {
    const api = createFakeSessionApi();
    const origin = createFakeOrigin();
    const one = started(controllerFor(api, origin.openTab()));
    const { session } = await active(one);
    const two = started(controllerFor(api, origin.openTab()));
    await until(two, (s) => s.session?.session_id === session?.session_id);

    await one.endSession();
    expect(two.getState()).toMatchObject({ status: 'ended', session: null });
    const next = await one.refresh();
    expect(two.getState()).toMatchObject({ status: 'active', session: { session_id: next.session_id } });
  });

  it('runs in a plain script without storage or a page: it asks the server what the cookie holds', async () => {
    const api = createFakeSessionApi();
    const controller = started(controllerFor(api, null));
    await active(controller);
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/sessions/current 401',
      'POST /api/sessions 201',
    ]);
  });
});
