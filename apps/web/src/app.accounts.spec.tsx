import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createSessionRestClient, SessionProvider, SNAPSHOT_KEY } from '@session/react-session';
import { createFakeSessionApi, type FakeSessionApi } from '@session/react-session/testing';
import { App } from './app';

const PASSWORD = 'correct horse battery staple';
const MAC_FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.0; rv:120.0) Gecko/20100101 Firefox/120.0';

let consoleErrors: jest.SpyInstance;
beforeEach(() => {
  localStorage.clear();
  consoleErrors = jest.spyOn(console, 'error');
});
// React's warnings (act, keys, invalid DOM nesting) land here: a page that logs one fails its test.
afterEach(() => {
  expect(consoleErrors).not.toHaveBeenCalled();
  consoleErrors.mockRestore();
});

async function renderApp(api: FakeSessionApi) {
  render(
    <SessionProvider client={createSessionRestClient({ fetch: api.fetch })} locks={null}>
      <App />
    </SessionProvider>,
  );
  await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled());
}

const card = (name: string) => within(screen.getByRole('region', { name }));

/** The text a screen reader reads with a field: its aria-describedby targets. */
function description(field: HTMLElement): string {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

function fill(region: ReturnType<typeof card>, email: string, password: string) {
  fireEvent.change(region.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(region.getByLabelText('Password'), { target: { value: password } });
}

async function signedIn(api: FakeSessionApi, options: { rememberMe?: boolean } = {}) {
  api.addAccount('ada@example.com', PASSWORD);
  await renderApp(api);
  const form = card('Sign in');
  fill(form, 'ada@example.com', PASSWORD);
  if (options.rememberMe) fireEvent.click(form.getByLabelText('Remember me on this device'));
  fireEvent.click(form.getByRole('button', { name: 'Sign in' }));
  await screen.findByRole('region', { name: 'Account' });
  // The devices list loads on its own; a test that ends before it would leave React updating after it.
  await card('Your devices').findAllByRole('listitem');
}

describe('signing up and in', () => {
  it('checks the password length before sending, with the error read with the field and focus on it', async () => {
    const api = createFakeSessionApi();
    await renderApp(api);
    fireEvent.click(screen.getByRole('button', { name: 'Create an account instead' }));
    const form = card('Create an account');
    fill(form, 'ada@example.com', 'too short');
    fireEvent.click(form.getByRole('button', { name: 'Create account' }));

    const password = form.getByLabelText('Password');
    await waitFor(() => expect(password).toHaveFocus());
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(description(password)).toMatch(/Too short: 9 of at least 15 characters/);
    expect(description(password)).toMatch(/Use 15 to 128 characters/);
    expect(api.count('POST', '/api/accounts')).toBe(0);
  });

  it('signs up: the account card takes focus, the session shows the user, and no claims are stored', async () => {
    const api = createFakeSessionApi();
    await renderApp(api);
    const anonymousId = api.current()!.session_id;
    fireEvent.click(screen.getByRole('button', { name: 'Create an account instead' }));
    const form = card('Create an account');
    fill(form, 'Ada@Example.com', PASSWORD);
    fireEvent.click(form.getByRole('button', { name: 'Create account' }));

    const account = await screen.findByRole('region', { name: 'Account' });
    await waitFor(() => expect(within(account).getByRole('heading', { name: 'Account' })).toHaveFocus());
    expect(within(account).getByTestId('account-name')).toHaveTextContent('ada@example.com');
    expect(within(account).getByText('Until the browser closes')).toBeInTheDocument();
    expect(card('Session').getByText('user-1')).toBeInTheDocument();
    expect(api.current()).toMatchObject({ session_id: anonymousId, user_id: 'user-1' });
    const raw = localStorage.getItem(SNAPSHOT_KEY) ?? '';
    expect(JSON.parse(raw)).toMatchObject({ session: { user_id: 'user-1' } });
    expect(raw).not.toMatch(/claims|ada@example\.com/);
    await card('Your devices').findAllByRole('listitem');
  });

  it('says an account exists on the email field', async () => {
    const api = createFakeSessionApi();
    api.addAccount('ada@example.com', PASSWORD);
    await renderApp(api);
    fireEvent.click(screen.getByRole('button', { name: 'Create an account instead' }));
    const form = card('Create an account');
    fill(form, 'ada@example.com', PASSWORD);
    fireEvent.click(form.getByRole('button', { name: 'Create account' }));

    const email = form.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveFocus());
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(description(email)).toBe('An account with this email already exists. Sign in instead.');
    expect(api.current()?.user_id).toBeNull();
  });

  it('explains wrong credentials in an alert that takes focus, then signs in with "remember me"', async () => {
    const api = createFakeSessionApi();
    api.addAccount('ada@example.com', PASSWORD);
    await renderApp(api);
    const form = card('Sign in');
    fill(form, 'ada@example.com', 'not the right password');
    fireEvent.click(form.getByRole('button', { name: 'Sign in' }));

    const alert = await form.findByRole('alert');
    expect(alert).toHaveTextContent('don’t match an account');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(api.current()?.user_id).toBeNull();
    expect(screen.queryByRole('region', { name: 'Account' })).not.toBeInTheDocument();

    fill(form, 'ada@example.com', PASSWORD);
    fireEvent.click(form.getByLabelText('Remember me on this device'));
    fireEvent.click(form.getByRole('button', { name: 'Sign in' }));
    const account = within(await screen.findByRole('region', { name: 'Account' }));
    expect(account.getByText('Remembered')).toBeInTheDocument();
    await card('Your devices').findAllByRole('listitem');
    expect(
      api.requests.filter((r) => r.path === '/api/sessions/current/sign-in').map((r) => (r.body as { remember_me: boolean }).remember_me),
    ).toEqual([false, true]);
  });

  it('signs out to a new anonymous session, with focus on the sign-in form', async () => {
    const api = createFakeSessionApi();
    await signedIn(api);
    const signedInId = api.current()!.session_id;
    fireEvent.click(card('Account').getByRole('button', { name: 'Sign out' }));

    const heading = await screen.findByRole('heading', { name: 'Sign in' });
    await waitFor(() => expect(heading).toHaveFocus());
    await waitFor(() => expect(card('Session').getByText('Anonymous')).toBeInTheDocument());
    expect(api.sessions.get(signedInId)?.revoked_at).not.toBeNull();
    expect(api.current()).toMatchObject({ user_id: null });
    expect(screen.queryByRole('region', { name: 'Your devices' })).not.toBeInTheDocument();
  });
});

describe('your devices', () => {
  it('marks this device, signs another out, then everywhere else', async () => {
    const api = createFakeSessionApi();
    await signedIn(api);
    api.signInElsewhere('ada@example.com', MAC_FIREFOX);
    api.signInElsewhere('ada@example.com', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120.0 Mobile Safari/537.36');
    // The list loaded before these two signed in elsewhere: signing in again shows it afresh.
    fireEvent.click(card('Account').getByRole('button', { name: 'Sign out' }));
    const form = within(await screen.findByRole('region', { name: 'Sign in' }));
    await waitFor(() => expect(form.getByRole('button', { name: 'Sign in' })).toBeEnabled());
    fill(form, 'ada@example.com', PASSWORD);
    fireEvent.click(form.getByRole('button', { name: 'Sign in' }));

    const devices = within(await screen.findByRole('region', { name: 'Your devices' }));
    const items = await devices.findAllByRole('listitem');
    expect(items).toHaveLength(3);
    const mine = items.find((item) => item.getAttribute('aria-current') === 'true')!;
    expect(mine).toHaveTextContent('Chrome on Linux');
    expect(mine).toHaveTextContent('This device');
    expect(within(mine).queryByRole('button')).not.toBeInTheDocument();
    expect(devices.getByText('Firefox on macOS')).toHaveAttribute('title', MAC_FIREFOX);

    fireEvent.click(devices.getByRole('button', { name: /^Sign out Firefox on macOS, last active/ }));
    await waitFor(() => expect(devices.getByRole('status')).toHaveTextContent('Firefox on macOS was signed out.'));
    await waitFor(() => expect(devices.getAllByRole('listitem')).toHaveLength(2));

    fireEvent.click(devices.getByRole('button', { name: 'Sign out everywhere else' }));
    await waitFor(() => expect(devices.getByRole('status')).toHaveTextContent('One other device was signed out.'));
    await waitFor(() => expect(devices.getAllByRole('listitem')).toHaveLength(1));
    expect(devices.getByRole('button', { name: 'Sign out everywhere else' })).toBeDisabled();
    expect(api.current()?.user_id).toBe('user-1');
  });

  it('asks for the list only once the server confirmed a restored signed-in session, so a session gone meanwhile costs one 401', async () => {
    const api = createFakeSessionApi();
    await signedIn(api);
    cleanup();
    // The session ends while no page is open (as a browser-session cookie does on restart); the snapshot stays.
    api.alter(api.current()!.session_id, { revoked_at: new Date().toISOString() });
    api.requests.length = 0;

    await renderApp(api);
    await waitFor(() => expect(card('Session').getByText('Anonymous')).toBeInTheDocument());
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/sessions/current 401',
      'POST /api/sessions 201',
    ]);
  });
});

describe('changing the password', () => {
  it('asks for a recent sign-in, flags a wrong current password, and then signs the other devices out', async () => {
    let serverAhead = 0;
    const api = createFakeSessionApi({ now: () => Date.now() + serverAhead });
    await signedIn(api);
    const laptop = api.signInElsewhere('ada@example.com', MAC_FIREFOX);
    const form = card('Change password');
    const change = (current: string, next: string) => {
      fireEvent.change(form.getByLabelText('Current password'), { target: { value: current } });
      fireEvent.change(form.getByLabelText('New password'), { target: { value: next } });
      fireEvent.click(form.getByRole('button', { name: 'Change password' }));
    };

    change('a wrong current password', 'a brand new passphrase');
    const current = form.getByLabelText('Current password');
    await waitFor(() => expect(current).toHaveFocus());
    expect(description(current)).toBe('That is not your current password.');

    serverAhead = 11 * 60_000;
    change(PASSWORD, 'a brand new passphrase');
    expect(await form.findByRole('alert')).toHaveTextContent('needs a recent sign-in');
    expect(api.current()?.user_id).toBe('user-1');
    expect(api.sessions.get(laptop.session_id)?.revoked_at).toBeNull();

    serverAhead = 0;
    api.alter(api.current()!.session_id, { authenticated_at: new Date().toISOString() } as never);
    change(PASSWORD, 'a brand new passphrase');
    await waitFor(() => expect(form.getByRole('status')).toHaveTextContent('Password changed. Your other devices were signed out.'));
    expect(form.getByLabelText('Current password')).toHaveValue('');
    expect(api.sessions.get(laptop.session_id)?.revoked_at).not.toBeNull();
    await waitFor(() => expect(card('Your devices').getAllByRole('listitem')).toHaveLength(1));
  });
});
