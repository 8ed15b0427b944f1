import type { BrowserContext } from 'playwright-core';
import { BrowserProfile, failOnConsoleProblems } from './support/browser';
import { startStack, type Stack } from './support/stack';
import { WebPage } from './support/web-page';

/** A stack whose session service uses a short idle timeout, and one browser profile; any console error or warning fails the test. */
function withShortIdleTimeout(idleTtl: string) {
  const env: { stack: Stack; context: BrowserContext } = { stack: null!, context: null! };
  const profile = new BrowserProfile();
  const consoleProblems = failOnConsoleProblems();
  beforeAll(async () => {
    env.context = await profile.launch();
    env.stack = await startStack({ SESSION_IDLE_TTL: idleTtl });
  });
  afterAll(async () => {
    await profile.dispose();
    await env.stack?.stop();
  });
  const open = () => WebPage.open(env.context, env.stack.url, consoleProblems);
  return { env, open };
}

describe('with a 2 s idle timeout', () => {
  const { env, open } = withShortIdleTimeout('2s');

  it('replaces an expired session transparently while the page is open', async () => {
    const web = await open();
    const first = await web.activeSessionId();
    const next = await web.waitForSessionOtherThan(first);
    expect(next).not.toBe(first);
    await web.page.close();
  });

  it('replaces a session that expired while no page was open', async () => {
    const web = await open();
    const first = await web.activeSessionId();
    await web.page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 2_500));
    await web.page.goto(env.stack.url);
    const next = await web.activeSessionId();
    expect(next).not.toBe(first);
    expect(JSON.parse((await web.storedSnapshot())!)).toMatchObject({ session_id: next });
    await web.page.close();
  });
});

describe('with a 10 s idle timeout', () => {
  const { open } = withShortIdleTimeout('10s');

  it('warns shortly before expiry, and "Stay signed in" extends the session', async () => {
    const web = await open();
    const id = await web.activeSessionId();
    const banner = web.page.getByRole('alert').filter({ hasText: 'about to expire' });
    expect(await banner.isVisible()).toBe(false);

    // The warning shows in the last half of a short idle timeout: after about 5 s here.
    await banner.waitFor({ timeout: 8_000 });
    await banner.getByRole('button', { name: 'Stay signed in' }).click();
    await banner.waitFor({ state: 'hidden' });
    const left = await web.page.locator('.card [role="timer"]').textContent();
    expect(left).toMatch(/^0:(0[6-9]|10)$/);
    expect(await web.activeSessionId()).toBe(id);
    await web.page.close();
  });
});
