import type { BrowserContext, Cookie } from 'playwright-core';
import type { WebPage } from './web-page';

/** A password of the allowed length (15 to 128 characters). */
export const PASSWORD = 'correct horse battery staple';

export interface SignInOptions {
  rememberMe?: boolean;
}

/** The sign-in or sign-up card, as a person fills it in. */
async function submitCredentials(
  web: WebPage,
  card: 'Sign in' | 'Create an account',
  email: string,
  password: string,
  { rememberMe = false }: SignInOptions,
) {
  const form = web.page.getByRole('region', { name: card, exact: true });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  if (rememberMe) await form.getByLabel('Remember me on this device').check();
  await form.getByRole('button', { name: card === 'Sign in' ? 'Sign in' : 'Create account' }).click();
}

export async function signUp(web: WebPage, email: string, options: SignInOptions = {}): Promise<void> {
  await web.activeSessionId();
  await web.page.getByRole('button', { name: 'Create an account instead' }).click();
  await submitCredentials(web, 'Create an account', email, PASSWORD, options);
  await waitForSignedIn(web);
}

export async function signIn(web: WebPage, email: string, options: SignInOptions & { password?: string } = {}): Promise<void> {
  await web.activeSessionId();
  await submitCredentials(web, 'Sign in', email, options.password ?? PASSWORD, options);
}

export async function waitForSignedIn(web: WebPage): Promise<void> {
  await web.page.getByRole('region', { name: 'Account', exact: true }).waitFor();
}

/** The sign-in card shows again, on an active anonymous session. */
export async function waitForAnonymous(web: WebPage, timeoutMs = 15_000): Promise<void> {
  await web.page.getByRole('region', { name: 'Sign in', exact: true }).waitFor({ timeout: timeoutMs });
  await web.page.locator('.badge-active').waitFor({ timeout: timeoutMs });
  await web.page.getByText('Anonymous', { exact: true }).waitFor({ timeout: timeoutMs });
}

/** The entries of "Your devices" once loaded: `current` for this device. */
export async function devices(web: WebPage): Promise<Array<{ current: boolean; text: string }>> {
  const list = web.page.getByRole('region', { name: 'Your devices' }).getByRole('listitem');
  await list.first().waitFor();
  return Promise.all(
    (await list.all()).map(async (item) => ({
      current: (await item.getAttribute('aria-current')) === 'true',
      text: (await item.textContent()) ?? '',
    })),
  );
}

/** The cookie holding the token of the session `sessionId`. */
export async function cookieOf(context: BrowserContext, url: string, sessionId: string): Promise<Cookie | undefined> {
  return (await context.cookies(url)).find((c) => c.value.startsWith(`${sessionId}.`));
}
