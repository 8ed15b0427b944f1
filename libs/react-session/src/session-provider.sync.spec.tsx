import { act, waitFor } from '@testing-library/react';
import { createFakeLockManager, createFakeSessionApi, type FakeSessionApi } from './testing';
import { createSessionRestClient } from './session-rest-client';
import { endedSnapshot, SNAPSHOT_KEY } from './session-snapshot';
import { CREATE_LOCK_NAME } from './create-lock';
import {
  earlierVisit,
  exchanges,
  mountActive,
  mountProvider,
  mountWithRevokedSession,
  stored,
  storeSnapshot,
} from './testing/spec-support';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(() => localStorage.clear());

/** Mounts a tab and expects it to create a session straight away: no GET about the stored one, which it knows is gone. */
async function expectCreatedWithoutAsking(api: FakeSessionApi, oldId: string) {
  const probe = await mountActive(api);
  expect(probe.value.session?.session_id).not.toBe(oldId);
  expect(exchanges(api)).toEqual(['POST /api/sessions 201']);
}

// Browsers log every non-2xx answer as a console error, so the provider asks
// `GET /api/sessions/current` only about a session that looks live; the
// 401s left are the ones nothing in the browser could have foreseen.
describe('SessionProvider requests', () => {
  it('creates the session on a first visit without asking the server first', async () => {
    const api = createFakeSessionApi();
    const probe = await mountActive(api);
    expect(exchanges(api)).toEqual(['POST /api/sessions 201']);
    expect(stored()).toMatchObject({ kind: 'session', session_id: probe.value.session?.session_id });
  });

  it('creates one session when two tabs open together: the second validates what the first created', async () => {
    const api = createFakeSessionApi();
    const locks = createFakeLockManager();
    const first = mountProvider(api, { locks, testId: 'tab-1' });
    const second = mountProvider(api, { locks, testId: 'tab-2' });

    await waitFor(() => expect([first.value.status, second.value.status]).toEqual(['active', 'active']));
    expect(first.value.session?.session_id).toBe(second.value.session?.session_id);
    // Both saw no snapshot and queued for the lock; the second found the first's snapshot there.
    expect(locks.requested).toEqual([CREATE_LOCK_NAME, CREATE_LOCK_NAME]);
    expect(exchanges(api)).toEqual(['POST /api/sessions 201', 'GET /api/sessions/current 200']);
  });

  it('keeps creation single-flight inside a tab without Web Locks', async () => {
    const api = createFakeSessionApi();
    const a = mountProvider(api, { locks: null, testId: 'a' });
    const b = mountProvider(api, { locks: null, testId: 'b' });
    await waitFor(() => expect([a.value.status, b.value.status]).toEqual(['active', 'active']));
    expect(b.value.session?.session_id).toBe(a.value.session?.session_id);
    expect(exchanges(api)).toEqual(['POST /api/sessions 201', 'GET /api/sessions/current 200']);
  });

  it('replaces a live-looking session the server refused (revoked) after one GET', async () => {
    const api = createFakeSessionApi();
    const old = await earlierVisit(api);
    api.alter(old.session_id, { revoked_at: new Date().toISOString() });

    const probe = await mountActive(api);
    expect(probe.value.session?.session_id).not.toBe(old.session_id);
    // The refused session is still the stored one when the lock is taken: it is not asked about twice.
    expect(exchanges(api)).toEqual(['GET /api/sessions/current 401', 'POST /api/sessions 201']);
    expect(stored()).toMatchObject({ kind: 'session', session_id: probe.value.session?.session_id });
  });

  it('after a refusal, takes the session another tab created while it waited for the lock', async () => {
    const api = createFakeSessionApi();
    const old = await earlierVisit(api);
    api.alter(old.session_id, { revoked_at: new Date().toISOString() });
    const locks = createFakeLockManager();
    let release!: () => void;
    const otherTab = locks.request(CREATE_LOCK_NAME, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      const { session } = await createSessionRestClient({ fetch: api.fetch }).create();
      storeSnapshot(session);
      return session;
    });

    const probe = mountProvider(api, { locks });
    await waitFor(() => expect(exchanges(api)).toEqual(['GET /api/sessions/current 401']));
    release();
    const created = await otherTab;
    await waitFor(() => expect(probe.value.status).toBe('active'));
    expect(probe.value.session?.session_id).toBe(created.session_id);
    expect(exchanges(api)).toEqual(['GET /api/sessions/current 401', 'POST /api/sessions 201', 'GET /api/sessions/current 200']);
  });

  it('creates a new session at once after a reload of an ended one', async () => {
    const api = createFakeSessionApi();
    const old = await earlierVisit(api);
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify(endedSnapshot(old.session_id)));

    await expectCreatedWithoutAsking(api, old.session_id);
  });

  it('creates a new session at once when the stored one expired by the clock', async () => {
    const api = createFakeSessionApi();
    const old = await earlierVisit(api);
    storeSnapshot(api.alter(old.session_id, { idle_expires_at: iso(Date.now() - 1_000) }));

    await expectCreatedWithoutAsking(api, old.session_id);
  });

  it('judges expiry by the server clock measured on an earlier visit, and keeps that measure', async () => {
    // The server's clock runs 5 minutes behind this machine's.
    const api = createFakeSessionApi({ now: () => Date.now() - 5 * MINUTE });
    const first = await mountActive(api);
    const snapshot = stored();
    if (snapshot?.kind !== 'session') throw new Error('no session snapshot stored');
    expect(Math.abs(snapshot.skew_ms + 5 * MINUTE)).toBeLessThan(1_500);
    first.view.unmount();

    // Past by this machine's clock, two minutes left by the server's: still live, so validated.
    const id = first.value.session!.session_id;
    storeSnapshot(api.alter(id, { idle_expires_at: iso(Date.now() - 3 * MINUTE) }), snapshot.skew_ms);
    const before = api.requests.length;
    const second = await mountActive(api);
    expect(second.value.session?.session_id).toBe(id);
    expect(exchanges(api, before)).toEqual(['GET /api/sessions/current 200']);
  });

  it('creates at once when the session looks live by this clock but expired by the server clock', async () => {
    // The server's clock runs 5 minutes ahead; its session ran out a minute ago by that clock.
    const api = createFakeSessionApi({ now: () => Date.now() + 5 * MINUTE });
    const old = await earlierVisit(api);
    storeSnapshot(api.alter(old.session_id, { idle_expires_at: iso(Date.now() + 4 * MINUTE) }), 5 * MINUTE);

    await expectCreatedWithoutAsking(api, old.session_id);
  });

  it('replaces a session lost under "Stay signed in" without asking about it again', async () => {
    const api = createFakeSessionApi();
    const { probe, old, before } = await mountWithRevokedSession(api);

    const next = await act(() => probe.value.touch());
    expect(next.session_id).not.toBe(old);
    expect(exchanges(api, before)).toEqual(['POST /api/sessions/current/touch 401', 'POST /api/sessions 201']);
  });

  it('without storage, asks the server first: nothing tells a first visit from a return', async () => {
    const api = createFakeSessionApi();
    const { session } = await createSessionRestClient({ fetch: api.fetch }).create();
    api.requests.length = 0;

    const probe = await mountActive(api, { storage: null });
    expect(probe.value.session?.session_id).toBe(session.session_id);
    expect(localStorage.getItem(SNAPSHOT_KEY)).toBeNull();

    // Once it has heard, an end is known here too: the next session is created without a GET.
    await act(() => probe.value.endSession());
    await act(() => probe.value.refresh());
    expect(exchanges(api)).toEqual(['GET /api/sessions/current 200', 'DELETE /api/sessions/current 204', 'POST /api/sessions 201']);
  });

  it('without storage, a first visit costs one refused GET before the creation', async () => {
    const api = createFakeSessionApi();
    await mountActive(api, { storage: null });
    expect(exchanges(api)).toEqual(['GET /api/sessions/current 401', 'POST /api/sessions 201']);
  });
});
