import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { UserData } from '@session/rest-contract';
import { createSessionRestClient, SessionProvider, SNAPSHOT_KEY } from '@session/react-session';
import { createFakeSessionApi, type FakeSessionApi } from '@session/react-session/testing';
import { App } from './app';

function renderApp(api: FakeSessionApi) {
  return render(
    <SessionProvider client={createSessionRestClient({ fetch: api.fetch })} locks={null}>
      <App />
    </SessionProvider>,
  );
}

/** A session an earlier visit left behind: its cookie in the fake's jar, its snapshot in localStorage. */
async function earlierVisit(api: FakeSessionApi, userData?: UserData) {
  const { session } = await createSessionRestClient({ fetch: api.fetch }).create(userData);
  localStorage.setItem(
    SNAPSHOT_KEY,
    JSON.stringify({ kind: 'session', session_id: session.session_id, session, saved_at: session.created_at, skew_ms: 0 }),
  );
  return session;
}

/** Answers a browser would log as console errors. */
const failedAnswers = (api: FakeSessionApi) =>
  api.requests.filter((r) => r.status !== undefined && r.status >= 400).map((r) => `${r.method} ${r.path} ${r.status}`);

const sessionCard = () => screen.getByRole('region', { name: 'Session' });
const activeSession = async (api: FakeSessionApi) => {
  await waitFor(() => expect(within(sessionCard()).getByText('Active')).toBeInTheDocument());
  return api.current()!;
};

beforeEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('App', () => {
  it('shows the session: short id, creation, live countdown, status and user', async () => {
    const api = createFakeSessionApi({ idleTtlMs: 2 * 3_600_000 });
    renderApp(api);
    const session = await activeSession(api);
    const card = within(sessionCard());

    expect(card.getByText(session.session_id.split('-')[0])).toHaveAttribute('data-session-id', session.session_id);
    expect(card.getByRole('timer')).toHaveTextContent(/^(1 h 59 min|2 h 00 min)$/);
    expect(card.getByText('Anonymous')).toBeInTheDocument();
    expect(card.getByText(new Date(session.created_at).getFullYear().toString(), { exact: false })).toBeInTheDocument();

    const before = card.getByRole('timer').textContent;
    await waitFor(() => expect(card.getByRole('timer').textContent).not.toBe(before), { timeout: 2500 });
    expect(failedAnswers(api)).toEqual([]);
  });

  it('shows the user a session is bound to', async () => {
    const api = createFakeSessionApi();
    const session = await earlierVisit(api);
    api.alter(session.session_id, { user_id: 'user-42' });
    renderApp(api);
    await activeSession(api);
    expect(within(sessionCard()).getByText('user-42')).toBeInTheDocument();
  });

  it('applies a theme at once and keeps it in user_data', async () => {
    const api = createFakeSessionApi();
    renderApp(api);
    await activeSession(api);

    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Saved'));
    expect(api.current()?.user_data).toEqual({ preferences: { theme: 'dark' } });
    expect(api.requests.find((r) => r.method === 'PATCH')?.headers['content-type']).toBe('application/merge-patch+json');
  });

  it('saves the display name and language, and greets in that language', async () => {
    const api = createFakeSessionApi();
    renderApp(api);
    await activeSession(api);

    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: '  Ada  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByText('Hello, Ada')).toBeInTheDocument());

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'fr' } });
    await waitFor(() => expect(screen.getByText('Bonjour, Ada')).toBeInTheDocument());
    expect(document.documentElement.lang).toBe('fr');
    expect(api.current()?.user_data).toEqual({ preferences: { display_name: 'Ada', language: 'fr' } });
  });

  it('restores preferences from the stored snapshot on the first render', async () => {
    const api = createFakeSessionApi();
    await earlierVisit(api, { preferences: { display_name: 'Grace', theme: 'dark' } });
    renderApp(api);
    expect(screen.getByText('Hello, Grace')).toBeInTheDocument();
    expect(document.documentElement.dataset.theme).toBe('dark');
    await activeSession(api);
  });

  it('warns before expiry, and "Stay signed in" extends the session', async () => {
    const api = createFakeSessionApi({ idleTtlMs: 30 * 60_000 });
    const session = await earlierVisit(api);
    const now = Date.now();
    api.alter(session.session_id, {
      last_seen_at: new Date(now - 28 * 60_000).toISOString(),
      idle_expires_at: new Date(now + 2 * 60_000).toISOString(),
    });
    renderApp(api);

    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('about to expire');
    fireEvent.click(within(banner).getByRole('button', { name: 'Stay signed in' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(api.count('POST', '/api/sessions/current/touch')).toBe(1);
    expect(within(sessionCard()).getByRole('timer')).toHaveTextContent(/^(29:\d\d|30:00)$/);
  });

  it('ends the session and starts a new one on request', async () => {
    const api = createFakeSessionApi();
    renderApp(api);
    const first = await activeSession(api);

    fireEvent.click(screen.getByRole('button', { name: 'End session' }));
    expect(await screen.findByText(/Your session has ended/)).toBeInTheDocument();
    expect(screen.getByLabelText('Display name')).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Start a new session' }));
    const second = await activeSession(api);
    expect(second.session_id).not.toBe(first.session_id);
    expect(failedAnswers(api)).toEqual([]);
  });

  it('explains a save that conflicted twice', async () => {
    const api = createFakeSessionApi();
    renderApp(api);
    const session = await activeSession(api);
    api.onRequest = (req) => {
      if (req.method === 'PATCH') api.writeElsewhere(session.session_id, { other: Date.now() });
    };

    fireEvent.click(screen.getByRole('radio', { name: 'Light' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('changed in another window');
    await act(async () => undefined);
    expect(screen.getByRole('radio', { name: 'System' })).toBeChecked();
  });

  it('says when the server cannot be reached and retries on request', async () => {
    const api = createFakeSessionApi();
    let down = true;
    render(
      <SessionProvider
        client={createSessionRestClient({ fetch: (u, i) => (down ? Promise.reject(new TypeError('offline')) : api.fetch(u, i)) })}
        locks={null}
      >
        <App />
      </SessionProvider>,
    );
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('can’t reach the server');
    expect(within(sessionCard()).getByText('Offline')).toBeInTheDocument();

    down = false;
    fireEvent.click(within(banner).getByRole('button', { name: 'Try again' }));
    await activeSession(api);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
