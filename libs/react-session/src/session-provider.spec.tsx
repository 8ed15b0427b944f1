import { act, render, waitFor } from '@testing-library/react';
import { createFakeSessionApi, type FakeSessionApi } from './fake-session-api';
import { useSession } from './session-context';
import { SessionApiError } from './session-api-error';
import { createSessionRestClient, type FetchLike } from './session-rest-client';
import { parseSnapshot, sessionSnapshot, SNAPSHOT_KEY, endedSnapshot } from './session-snapshot';
import { CREATE_LOCK_NAME } from './create-lock';
import { createFakeLockManager, mountProvider } from './spec-support';

/** Creates a session on the fake server (cookie in its jar) as an earlier visit would have. */
async function earlierVisit(api: FakeSessionApi, userData = {}) {
  const { session } = await createSessionRestClient({ fetch: api.fetch }).create(userData);
  localStorage.setItem(SNAPSHOT_KEY, JSON.stringify(sessionSnapshot(session)));
  api.requests.length = 0;
  return session;
}

function otherTabWrites(value: string | null) {
  act(() => {
    if (value === null) localStorage.removeItem(SNAPSHOT_KEY);
    else localStorage.setItem(SNAPSHOT_KEY, value);
    window.dispatchEvent(new StorageEvent('storage', { key: SNAPSHOT_KEY, newValue: value, storageArea: localStorage }));
  });
}

const stored = () => parseSnapshot(localStorage.getItem(SNAPSHOT_KEY));

beforeEach(() => localStorage.clear());

describe('SessionProvider', () => {
  it('renders the stored snapshot before the server answers, then corrects it', async () => {
    const api = createFakeSessionApi();
    const session = await earlierVisit(api, { name: 'from snapshot' });
    api.writeElsewhere(session.session_id, { name: 'from server' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gatedFetch: FetchLike = async (url, init) => {
      await gate;
      return api.fetch(url, init);
    };

    const probe = mountProvider(api, { fetch: gatedFetch });
    expect(probe.text()).toBe(`loading|${session.session_id}|{"name":"from snapshot"}`);

    release();
    await waitFor(() => expect(probe.text()).toBe(`active|${session.session_id}|{"name":"from server"}`));
    expect(stored()).toMatchObject({ kind: 'session', session: { user_data: { name: 'from server' }, version: 2 } });
    expect(api.count('POST', '/api/sessions')).toBe(0);
  });

  it('replaces a session the server no longer accepts with a new one, transparently', async () => {
    const api = createFakeSessionApi();
    const old = await earlierVisit(api);
    api.alter(old.session_id, { revoked_at: new Date().toISOString() });

    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    expect(probe.value.session?.session_id).not.toBe(old.session_id);
    expect(api.count('POST', '/api/sessions')).toBe(1);
    expect(stored()).toMatchObject({ kind: 'session', session_id: probe.value.session?.session_id });
  });

  it('never stores the token: the snapshot holds the public id and the session only', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const raw = localStorage.getItem(SNAPSHOT_KEY) ?? '';
    expect(api.cookie).toContain(probe.value.session!.session_id);
    expect(raw).toContain(probe.value.session!.session_id);
    expect(raw).not.toContain(api.cookie!);
    expect(raw).not.toMatch(/"token"/);
  });

  it('creates one session when two tabs open together (shared lock, re-check after acquiring it)', async () => {
    const api = createFakeSessionApi();
    const locks = createFakeLockManager();
    const first = mountProvider(api, { locks, testId: 'tab-1' });
    const second = mountProvider(api, { locks, testId: 'tab-2' });

    await waitFor(() => expect([first.value.status, second.value.status]).toEqual(['active', 'active']));
    expect(api.count('POST', '/api/sessions')).toBe(1);
    expect(first.value.session?.session_id).toBe(second.value.session?.session_id);
    expect(locks.requested).toEqual([CREATE_LOCK_NAME, CREATE_LOCK_NAME]);
  });

  it('keeps creation single-flight inside a tab without Web Locks', async () => {
    const api = createFakeSessionApi();
    mountProvider(api, { locks: null, testId: 'a' });
    const b = mountProvider(api, { locks: null, testId: 'b' });
    await waitFor(() => expect(b.value.status).toBe('active'));
    expect(api.count('POST', '/api/sessions')).toBe(1);
  });

  it('sends If-Match and, after a 412, refetches and reapplies the patch once', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const id = probe.value.session!.session_id;
    let raced = false;
    api.onRequest = (req) => {
      if (req.method === 'PATCH' && !raced) {
        raced = true;
        api.writeElsewhere(id, { language: 'de' });
      }
    };

    const saved = await act(() => probe.value.updateData({ theme: 'dark' }));
    expect(saved.user_data).toEqual({ language: 'de', theme: 'dark' });
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.headers['if-match'])).toEqual(['W/"v1"', 'W/"v2"']);
    expect(probe.value.session?.version).toBe(3);
    expect(probe.value.error).toBeNull();
  });

  it('reports a conflict when the retry conflicts again, without retrying further', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const id = probe.value.session!.session_id;
    api.onRequest = (req) => {
      if (req.method === 'PATCH') api.writeElsewhere(id, { counter: Math.random() });
    };

    let caught: unknown;
    await act(async () => {
      await probe.value.updateData({ theme: 'dark' }).catch((e) => (caught = e));
    });
    expect(caught).toBeInstanceOf(SessionApiError);
    expect((caught as SessionApiError).code).toBe('version_conflict');
    expect(api.count('PATCH')).toBe(2);
    expect(probe.value.error?.code).toBe('version_conflict');
    expect(probe.value.status).toBe('active');
    expect(probe.value.session?.user_data).not.toHaveProperty('theme');
  });

  it('applies a change to a fresh session when the old one was lost meanwhile', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const old = probe.value.session!.session_id;
    api.alter(old, { revoked_at: new Date().toISOString() });

    const saved = await act(() => probe.value.replaceData({ theme: 'light' }));
    expect(saved.session_id).not.toBe(old);
    expect(api.current()?.user_data).toEqual({ theme: 'light' });
  });

  it('shows changes another tab stored, without a request, and ignores older ones', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const before = api.requests.length;
    const id = probe.value.session!.session_id;
    const newer = api.writeElsewhere(id, { displayName: 'Ada' });

    otherTabWrites(JSON.stringify(sessionSnapshot(newer)));
    expect(probe.text()).toBe(`active|${id}|{"displayName":"Ada"}`);

    const older = { ...newer, version: 1, user_data: {} };
    otherTabWrites(JSON.stringify(sessionSnapshot(older)));
    otherTabWrites('not json');
    otherTabWrites(null);
    expect(probe.text()).toBe(`active|${id}|{"displayName":"Ada"}`);
    expect(api.requests.length).toBe(before);
  });

  it('follows a logout in another tab, and a new session started there', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const id = probe.value.session!.session_id;

    otherTabWrites(JSON.stringify(endedSnapshot('11111111-1111-4111-8111-111111111111')));
    expect(probe.value.status).toBe('active');
    otherTabWrites(JSON.stringify(endedSnapshot(id)));
    expect(probe.text()).toBe('ended|-|null');

    // The ended session cannot come back through a stale snapshot ...
    otherTabWrites(JSON.stringify(sessionSnapshot(api.sessions.get(id)!)));
    expect(probe.value.status).toBe('ended');
    // ... but the one the other tab starts next is picked up.
    const { session } = await createSessionRestClient({ fetch: api.fetch }).create();
    otherTabWrites(JSON.stringify(sessionSnapshot(session)));
    expect(probe.text()).toBe(`active|${session.session_id}|{}`);
  });

  it('ends the session on the server and tells the other tabs; refresh starts a new one', async () => {
    const api = createFakeSessionApi();
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const id = probe.value.session!.session_id;

    await act(() => probe.value.endSession());
    expect(api.count('DELETE', '/api/sessions/current')).toBe(1);
    expect(api.cookie).toBeNull();
    expect(probe.text()).toBe('ended|-|null');
    expect(stored()).toMatchObject({ kind: 'ended', session_id: id });

    const next = await act(() => probe.value.refresh());
    expect(next.session_id).not.toBe(id);
    expect(probe.value.status).toBe('active');
  });

  it('counts down to the earlier expiry and replaces the session when it runs out', async () => {
    const api = createFakeSessionApi({ idleTtlMs: 400 });
    const probe = mountProvider(api, { tickMs: 20 });
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const first = probe.value.session!.session_id;
    expect(probe.value.timeLeftMs).toBeGreaterThan(0);
    expect(probe.value.timeLeftMs).toBeLessThanOrEqual(400);

    await waitFor(() => expect(probe.value.session?.session_id).not.toBe(first), { timeout: 3000 });
    expect(probe.value.status).toBe('active');
    expect(api.count('POST', '/api/sessions')).toBeGreaterThanOrEqual(2);
  });

  it('touch extends the idle expiry', async () => {
    const api = createFakeSessionApi({ idleTtlMs: 60_000 });
    const probe = mountProvider(api);
    await waitFor(() => expect(probe.value.status).toBe('active'));
    const id = probe.value.session!.session_id;
    api.alter(id, { idle_expires_at: new Date(Date.now() + 5_000).toISOString() });
    await act(() => probe.value.refresh());
    expect(probe.value.timeLeftMs).toBeLessThanOrEqual(5_000);

    await act(() => probe.value.touch());
    expect(probe.value.timeLeftMs).toBeGreaterThan(50_000);
    expect(api.count('POST', '/api/sessions/current/touch')).toBe(1);
  });

  it('reports an unreachable server as an error state and recovers on refresh', async () => {
    const api = createFakeSessionApi();
    let down = true;
    const flakyFetch: FetchLike = (url, init) => (down ? Promise.reject(new TypeError('Failed to fetch')) : api.fetch(url, init));
    const probe = mountProvider(api, { fetch: flakyFetch });
    await waitFor(() => expect(probe.value.status).toBe('error'));
    expect(probe.value.error?.code).toBe('network_error');

    down = false;
    await act(() => probe.value.refresh());
    expect(probe.value.status).toBe('active');
    expect(probe.value.error).toBeNull();
  });
});

describe('useSession', () => {
  it('throws outside its provider', () => {
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    function Orphan() {
      useSession();
      return null;
    }
    expect(() => render(<Orphan />)).toThrow('useSession must be used within a <SessionProvider>');
    quiet.mockRestore();
  });
});
