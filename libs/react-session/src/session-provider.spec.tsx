import { act, render, waitFor } from '@testing-library/react';
import { createFakeSessionApi } from './testing';
import { useSession } from './session-context';
import { SessionApiError } from './session-api-error';
import { createSessionRestClient, type FetchLike } from './session-rest-client';
import { sessionSnapshot, endedSnapshot, SNAPSHOT_KEY } from './session-snapshot';
import {
  earlierVisit,
  exchanges,
  mountActive,
  mountProvider,
  mountWithRevokedSession,
  otherTabWrites,
  stored,
} from './testing/spec-support';

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
    expect(exchanges(api)).toEqual(['GET /api/sessions/current 200']);
  });

  it('never stores the token: the snapshot holds the public id and the session only', async () => {
    const api = createFakeSessionApi();
    const probe = await mountActive(api);
    const raw = localStorage.getItem(SNAPSHOT_KEY) ?? '';
    expect(api.cookie).toContain(probe.value.session!.session_id);
    expect(raw).toContain(probe.value.session!.session_id);
    expect(raw).not.toContain(api.cookie!);
    expect(raw).not.toMatch(/"token"/);
  });

  it('sends If-Match and, after a 412, refetches and reapplies the patch once', async () => {
    const api = createFakeSessionApi();
    const probe = await mountActive(api);
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
    const probe = await mountActive(api);
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
    const { probe, old, before } = await mountWithRevokedSession(api);

    const saved = await act(() => probe.value.replaceData({ theme: 'light' }));
    expect(saved.session_id).not.toBe(old);
    expect(api.current()?.user_data).toEqual({ theme: 'light' });
    // The 401 already said the session is gone: no GET to hear it again.
    expect(exchanges(api, before)).toEqual([
      'PUT /api/sessions/current/data 401',
      'POST /api/sessions 201',
      'PUT /api/sessions/current/data 200',
    ]);
  });

  it('shows changes another tab stored, without a request, and ignores older ones', async () => {
    const api = createFakeSessionApi();
    const probe = await mountActive(api);
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
    const probe = await mountActive(api);
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
    const probe = await mountActive(api);
    const id = probe.value.session!.session_id;

    const before = api.requests.length;
    await act(() => probe.value.endSession());
    expect(api.cookie).toBeNull();
    expect(probe.text()).toBe('ended|-|null');
    expect(stored()).toMatchObject({ kind: 'ended', session_id: id });

    const next = await act(() => probe.value.refresh());
    expect(next.session_id).not.toBe(id);
    expect(probe.value.status).toBe('active');
    // Known to be ended: created straight away, not asked about first.
    expect(exchanges(api, before)).toEqual(['DELETE /api/sessions/current 204', 'POST /api/sessions 201']);
  });

  it('counts down to the earlier expiry and replaces the session when it runs out', async () => {
    const api = createFakeSessionApi({ idleTtlMs: 400 });
    const probe = await mountActive(api, { tickMs: 20 });
    const first = probe.value.session!.session_id;
    expect(probe.value.timeLeftMs).toBeGreaterThan(0);
    expect(probe.value.timeLeftMs).toBeLessThanOrEqual(400);

    await waitFor(() => expect(probe.value.session?.session_id).not.toBe(first), { timeout: 3000 });
    expect(probe.value.status).toBe('active');
    // Expired by the clock: replaced without a GET that could only earn a 401.
    expect(exchanges(api).slice(0, 2)).toEqual(['POST /api/sessions 201', 'POST /api/sessions 201']);
    expect(api.count('GET')).toBe(0);
  });

  it('touch extends the idle expiry', async () => {
    const api = createFakeSessionApi({ idleTtlMs: 60_000 });
    const probe = await mountActive(api);
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
