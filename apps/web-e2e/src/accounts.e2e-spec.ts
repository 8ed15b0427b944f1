import type { BrowserContext } from 'playwright-core';
import { cookieOf, devices, PASSWORD, signIn, signUp, waitForAnonymous, waitForSignedIn } from './support/account-steps';
import { BrowserProfile, failOnConsoleProblems } from './support/browser';
import { startStack, type Stack } from './support/stack';
import { WebPage } from './support/web-page';

/** The one console line a page may log when the session it restored was refused: Chrome's note of the 401. */
const refusedOnce = [
  expect.stringMatching(
    /^error: Failed to load resource: the server responded with a status of 401 \(Unauthorized\) \(http:\/\/[^/]+\/api\/sessions\/current\)$/,
  ),
];

let accounts = 0;
/** A fresh address per test: accounts outlive tests within the stack. */
const newEmail = () => `ada-${Date.now()}-${(accounts += 1)}@example.com`;

describe('signing in against the real stack', () => {
  let stack: Stack;
  const first = new BrowserProfile();
  const second = new BrowserProfile();
  let one: BrowserContext;
  let two: BrowserContext;
  const consoleProblems = failOnConsoleProblems();

  beforeAll(async () => {
    // The browsers first: without one the suite fails at once, before any server starts.
    one = await first.launch();
    two = await second.launch();
    stack = await startStack();
  });

  afterAll(async () => {
    await first.dispose();
    await second.dispose();
    await stack?.stop();
  });

  it('signs up in one browser and in from a second; the first sees both devices, signs the second out, and the second falls back to anonymous', async () => {
    const email = newEmail();
    const a = await WebPage.open(one, stack.url, consoleProblems);
    const anonymousId = await a.activeSessionId();
    await signUp(a, email);
    // Signing in rotates the token of the same session: the cookie now holds a new secret for it.
    expect(await a.activeSessionId()).toBe(anonymousId);
    expect(await a.storedSnapshot()).not.toMatch(/claims|roles/);

    // The second browser's clock is Playwright's, so its once-a-minute check can be brought forward.
    await two.clock.install();
    const secondProblems: string[] = [];
    const b = await WebPage.open(two, stack.url, secondProblems);
    await signIn(b, email);
    await waitForSignedIn(b);
    const secondId = await b.activeSessionId();
    expect(secondId).not.toBe(anonymousId);

    await a.page.reload();
    const listed = await devices(a);
    expect(listed).toHaveLength(2);
    expect(listed.filter((d) => d.current).map((d) => d.text)).toEqual([expect.stringContaining('This device')]);
    expect(listed.every((d) => d.text.includes('Chrome on Linux') && d.text.includes('Last active'))).toBe(true);

    const panel = a.page.getByRole('region', { name: 'Your devices' });
    await panel
      .locator('li:not([aria-current])')
      .getByRole('button', { name: /^Sign out Chrome on Linux, last active/ })
      .click();
    await panel.getByRole('status').filter({ hasText: 'Chrome on Linux was signed out.' }).waitFor();
    await panel.getByRole('listitem').nth(1).waitFor({ state: 'detached' });

    // The second browser is not told; its next check (due within a minute) finds the session gone.
    await b.page.clock.fastForward('01:05');
    await waitForAnonymous(b);
    expect(await b.activeSessionId()).not.toBe(secondId);
    expect(await b.storedSnapshot()).not.toContain(secondId);
    await waitForSignedIn(a);
    await Promise.all([a.page.close(), b.page.close()]);
    expect(secondProblems).toEqual(refusedOnce);
  });

  it('"Sign out everywhere else" and a password change both sign the other browser out; the new password then signs it in', async () => {
    const [mine, theirs] = [new BrowserProfile(), new BrowserProfile()];
    try {
      const email = newEmail();
      const a = await WebPage.open(await mine.launch(), stack.url, consoleProblems);
      await signUp(a, email);
      const other = await theirs.launch();
      await other.clock.install();
      const otherProblems: string[] = [];
      const b = await WebPage.open(other, stack.url, otherProblems);
      /** Signs `b` in, and has `a` see it in a freshly loaded devices list. */
      const secondDevice = async (password = PASSWORD) => {
        await signIn(b, email, { password });
        await waitForSignedIn(b);
        await a.page.reload();
        expect(await devices(a)).toHaveLength(2);
      };
      const fallsBack = async () => {
        await b.page.clock.fastForward('01:05');
        await waitForAnonymous(b);
      };

      await secondDevice();
      const panel = a.page.getByRole('region', { name: 'Your devices' });
      await panel.getByRole('button', { name: 'Sign out everywhere else' }).click();
      await panel.getByRole('status').filter({ hasText: 'One other device was signed out.' }).waitFor();
      await fallsBack();

      await secondDevice();
      const form = a.page.getByRole('region', { name: 'Change password' });
      await form.getByLabel('Current password').fill(PASSWORD);
      await form.getByLabel('New password').fill('an entirely new passphrase');
      await form.getByRole('button', { name: 'Change password' }).click();
      await form.getByRole('status').filter({ hasText: 'Password changed. Your other devices were signed out.' }).waitFor();
      await fallsBack();

      await secondDevice('an entirely new passphrase');
      await waitForSignedIn(a);
      expect(otherProblems).toEqual([...refusedOnce, ...refusedOnce]);
    } finally {
      await mine.dispose();
      await theirs.dispose();
    }
  });

  it('without "remember me" a browser restart ends the signed-in session; with it the session survives the restart', async () => {
    const profile = new BrowserProfile();
    try {
      let context = await profile.launch();
      const email = newEmail();
      let web = await WebPage.open(context, stack.url, consoleProblems);
      await signUp(web, email);
      const browserSessionId = await web.activeSessionId();
      // A browser-session cookie: no Expires or Max-Age.
      expect((await cookieOf(context, stack.url, browserSessionId))?.expires).toBe(-1);

      await profile.close();
      context = await profile.launch();
      const afterRestart: string[] = [];
      web = await WebPage.open(context, stack.url, afterRestart);
      await waitForAnonymous(web);
      expect(await web.activeSessionId()).not.toBe(browserSessionId);

      await signIn(web, email, { rememberMe: true });
      await waitForSignedIn(web);
      const remembered = await web.activeSessionId();
      expect((await cookieOf(context, stack.url, remembered))?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 3_600);
      await web.page.getByText('Remembered', { exact: true }).waitFor();
      // The page restored after the restart still believed in the signed-in session until the server said otherwise.
      expect(afterRestart).toEqual(refusedOnce);

      await profile.close();
      context = await profile.launch();
      web = await WebPage.open(context, stack.url, consoleProblems);
      await waitForSignedIn(web);
      expect(await web.activeSessionId()).toBe(remembered);
      await web.page.close();
    } finally {
      await profile.dispose();
    }
  });
});
