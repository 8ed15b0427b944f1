// The README's screenshots of signing in, taken in Chromium against the real stack.
// Not part of the test run (its files match *.screenshots.ts, not *.e2e-spec.ts):
// run `npx nx run web-e2e:screenshots` after a visible change and commit the PNGs.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { PASSWORD, signIn, signUp, waitForSignedIn } from './support/account-steps';
import { BrowserProfile, failOnConsoleProblems } from './support/browser';
import { startStack, type Stack } from './support/stack';
import { WebPage } from './support/web-page';

const folder = join(workspaceRoot(), 'docs', 'screenshots');

describe('README screenshots', () => {
  let stack: Stack;
  const laptop = new BrowserProfile();
  const phone = new BrowserProfile();
  const consoleProblems = failOnConsoleProblems();

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    stack = await startStack();
  });

  afterAll(async () => {
    await laptop.dispose();
    await phone.dispose();
    await stack?.stop();
  });

  it('shows signing up, a wrong password, and the signed-in page with two devices', async () => {
    const email = `ada-${Date.now()}@example.com`;
    const shot = async (web: WebPage, name: string) => {
      const path = join(folder, name);
      await web.page.screenshot({ path, fullPage: true, animations: 'disabled' });
      expect(statSync(path).size).toBeGreaterThan(10_000);
    };

    const signUpPage = await WebPage.open(await phone.launch(), stack.url, consoleProblems);
    await signUpPage.activeSessionId();
    await signUpPage.page.getByRole('button', { name: 'Create an account instead' }).click();
    const form = signUpPage.page.getByRole('region', { name: 'Create an account', exact: true });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill('too short');
    await form.getByRole('button', { name: 'Create account' }).click();
    await form.getByText(/Too short/).waitFor();
    await shot(signUpPage, 'sign-up-password-rule.png');
    await signUpPage.page.reload();
    await signUp(signUpPage, email);

    // The wrong password answers 401 invalid_credentials, which Chrome logs: this page gets its own list.
    const wrongPasswordProblems: string[] = [];
    const web = await WebPage.open(await laptop.launch(), stack.url, wrongPasswordProblems);
    await signIn(web, email, { password: 'not the password I chose' });
    await web.page.getByRole('alert').filter({ hasText: 'don’t match an account' }).waitFor();
    await shot(web, 'sign-in-wrong-password.png');
    await signIn(web, email, { password: PASSWORD, rememberMe: true });
    await waitForSignedIn(web);
    await web.page.getByRole('region', { name: 'Your devices' }).getByRole('listitem').nth(1).waitFor();
    await web.saveDisplayName('Ada');
    await shot(web, 'signed-in-devices.png');
    expect(wrongPasswordProblems).toEqual([expect.stringContaining('401 (Unauthorized)')]);
  });
});
