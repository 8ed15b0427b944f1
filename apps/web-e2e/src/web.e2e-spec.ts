import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { workspaceRoot } from '@session/testing';
import { BrowserProfile, failOnConsoleProblems } from './support/browser';
import { startStack, type Stack } from './support/stack';
import { WebPage } from './support/web-page';

/** Every key anywhere in a JSON value, to prove none of them is a token. */
function keysOf(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

describe('web app against the real stack', () => {
  let stack: Stack;
  const profile = new BrowserProfile();
  let context: BrowserContext;
  // Any console error or warning fails the scenario that caused it: none of them has a 401 to excuse.
  const consoleProblems = failOnConsoleProblems();
  const open = (problems = consoleProblems) => WebPage.open(context, stack.url, problems);

  beforeAll(async () => {
    // The browser first: without one the suite fails at once, before any server starts.
    context = await profile.launch();
    stack = await startStack();
  });

  afterAll(async () => {
    await profile.dispose();
    await stack?.stop();
  });

  let firstId: string;

  it('creates a session on the first visit, held only in an HttpOnly cookie', async () => {
    const web = await open();
    firstId = await web.activeSessionId();

    const cookies = await context.cookies(stack.url);
    const cookie = cookies.find((c) => c.value.startsWith(`${firstId}.`));
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + 24 * 3_600_000);
    expect(await web.documentCookie()).not.toContain(cookie!.value);

    const raw = (await web.storedSnapshot())!;
    expect(JSON.parse(raw)).toMatchObject({ kind: 'session', session_id: firstId, session: { session_id: firstId } });
    expect(keysOf(JSON.parse(raw))).not.toContain('token');
    expect(raw).not.toContain(cookie!.value);
    expect(raw).not.toContain(cookie!.value.split('.')[1]);
    await web.page.close();
  });

  it('keeps the session and edited preferences across a reload', async () => {
    const web = await open();
    expect(await web.activeSessionId()).toBe(firstId);
    await web.saveDisplayName('Ada');
    await web.pickTheme('Dark');
    await web.pickLanguage('fr');
    await web.waitForText('Bonjour, Ada');

    await web.page.reload();
    expect(await web.activeSessionId()).toBe(firstId);
    await web.waitForText('Bonjour, Ada');
    expect(await web.theme()).toBe('dark');
    expect(await web.page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await web.page.getByLabel('Display name').inputValue()).toBe('Ada');

    mkdirSync(join(workspaceRoot(), 'test-artifacts'), { recursive: true });
    await web.page.screenshot({ path: join(workspaceRoot(), 'test-artifacts', 'web.png'), fullPage: true });
    await web.page.close();
  });

  it('keeps the session across a browser restart', async () => {
    await profile.close();
    context = await profile.launch();
    const web = await open();
    expect(await web.activeSessionId()).toBe(firstId);
    await web.waitForText('Bonjour, Ada');
    await web.page.close();
  });

  it('keeps two tabs in sync without a reload', async () => {
    const [one, two] = [await open(), await open()];
    expect(await one.activeSessionId()).toBe(firstId);
    expect(await two.activeSessionId()).toBe(firstId);
    const requests: string[] = [];
    two.page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));

    await one.pickTheme('Light');
    await two.waitForTheme('light');
    await one.saveDisplayName('Grace');
    await two.waitForText('Bonjour, Grace');
    expect(requests).toEqual([]);
    await Promise.all([one.page.close(), two.page.close()]);
  });

  it('ends the session in every tab, and the next load starts a new one', async () => {
    const [one, two] = [await open(), await open()];
    await one.activeSessionId();
    await two.activeSessionId();

    await one.page.getByRole('button', { name: 'End session' }).click();
    await one.waitForText('Your session has ended. Nothing about it is kept in this browser.');
    await two.waitForText('Your session has ended. Nothing about it is kept in this browser.');
    expect((await context.cookies(stack.url)).some((c) => c.value.startsWith(`${firstId}.`))).toBe(false);

    await one.page.reload();
    const next = await one.activeSessionId();
    expect(next).not.toBe(firstId);
    // The tab still showing "ended" follows the new session the other one started.
    expect(await two.waitForSessionOtherThan(firstId)).toBe(next);
    await Promise.all([one.page.close(), two.page.close()]);
  });

  it("replaces a session revoked behind the browser's back, logging only the one 401 that finds it out", async () => {
    const revokedPageProblems: string[] = [];
    const web = await open(revokedPageProblems);
    const revoked = await web.activeSessionId();
    const token = (await context.cookies(stack.url)).find((c) => c.value.startsWith(`${revoked}.`))!.value;
    // Another holder of the token (an API client, a back-end service) ends it; this browser is not told.
    const answer = await fetch(`${stack.url}/api/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(204);

    await web.page.reload();
    const next = await web.waitForSessionOtherThan(revoked);
    expect(JSON.parse((await web.storedSnapshot())!)).toMatchObject({ kind: 'session', session_id: next });
    await web.page.close();
    // The snapshot looked live, so the app asked once; nothing else may show up.
    expect(revokedPageProblems).toEqual([
      expect.stringMatching(
        /^error: Failed to load resource: the server responded with a status of 401 \(Unauthorized\) \(http:\/\/[^/]+\/api\/sessions\/current\)$/,
      ),
    ]);
  });
});
