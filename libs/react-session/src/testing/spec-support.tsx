import { act, render, waitFor } from '@testing-library/react';
import type { SessionDto } from '@session/rest-contract';
import { SessionProvider } from '../session-provider';
import { useSession, type SessionContextValue } from '../session-context';
import { createSessionRestClient, type FetchLike } from '../session-rest-client';
import type { LockManagerLike } from '../create-lock';
import { parseSnapshot, sessionSnapshot, SNAPSHOT_KEY, type SnapshotStorage } from '../session-snapshot';
import type { FakeSessionApi } from './fake-session-api';

/** Stores a session snapshot as the provider would (`skewMs`: server clock minus local clock). */
export function storeSnapshot(session: SessionDto, skewMs = 0): void {
  localStorage.setItem(SNAPSHOT_KEY, JSON.stringify(sessionSnapshot(session, skewMs)));
}

export const stored = () => parseSnapshot(localStorage.getItem(SNAPSHOT_KEY));

/** Creates a session on the fake server (cookie in its jar) and stores its snapshot, as an earlier visit would have. */
export async function earlierVisit(api: FakeSessionApi, userData = {}): Promise<SessionDto> {
  const { session } = await createSessionRestClient({ fetch: api.fetch }).create(userData);
  storeSnapshot(session);
  api.requests.length = 0;
  return session;
}

/** Another tab of the origin writing the snapshot: the storage event reaches this window's providers. */
export function otherTabWrites(value: string | null) {
  act(() => {
    if (value === null) localStorage.removeItem(SNAPSHOT_KEY);
    else localStorage.setItem(SNAPSHOT_KEY, value);
    window.dispatchEvent(new StorageEvent('storage', { key: SNAPSHOT_KEY, newValue: value, storageArea: localStorage }));
  });
}

/** The requests the fake server answered, as `METHOD path status`: what a browser's network log (and console, for non-2xx) would show. */
export const exchanges = (api: FakeSessionApi, from = 0) => api.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.status}`);

export interface MountOptions {
  fetch?: FetchLike;
  locks?: LockManagerLike | null;
  /** Defaults to `localStorage`, as in a browser. */
  storage?: SnapshotStorage | null;
  tickMs?: number;
  testId?: string;
}

/** Shows the provider's state as text and hands the live value to the test. */
export function mountProvider(api: FakeSessionApi, options: MountOptions = {}) {
  const latest: { value: SessionContextValue | null } = { value: null };
  const testId = options.testId ?? 'session';
  function Probe() {
    const value = useSession();
    latest.value = value;
    const { status, session } = value;
    return <output data-testid={testId}>{`${status}|${session?.session_id ?? '-'}|${JSON.stringify(session?.user_data ?? null)}`}</output>;
  }
  const view = render(
    <SessionProvider
      client={createSessionRestClient({ fetch: options.fetch ?? api.fetch })}
      locks={options.locks ?? null}
      storage={options.storage}
      tickMs={options.tickMs}
    >
      <Probe />
    </SessionProvider>,
  );
  return {
    view,
    get value(): SessionContextValue {
      if (!latest.value) throw new Error('provider not rendered');
      return latest.value;
    },
    text: () => view.getByTestId(testId).textContent ?? '',
  };
}

/** mountProvider, once the provider reports the session active. */
export async function mountActive(api: FakeSessionApi, options: MountOptions = {}) {
  const probe = mountProvider(api, options);
  await waitFor(() => expect(probe.value.status).toBe('active'));
  return probe;
}

/** A tab whose active session the server has since revoked, unknown to the tab; `before` indexes the requests that follow. */
export async function mountWithRevokedSession(api: FakeSessionApi) {
  const probe = await mountActive(api);
  const old = probe.value.session?.session_id ?? '';
  api.alter(old, { revoked_at: new Date().toISOString() });
  return { probe, old, before: api.requests.length };
}
