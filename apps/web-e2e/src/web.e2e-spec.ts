import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { workspaceRoot } from '@session/testing';
import { BrowserProfile, watchConsole } from './support/browser';
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
  const consoleProblems: string[] = [];

  async function open(ctx: BrowserContext = context): Promise<WebPage> {
    const page: Page = await ctx.newPage();
    const problems = watchConsole(page);
    page.on('close', () => consoleProblems.push(...problems));
    await page.goto(stack.url);
    return new WebPage(page);
  }

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

  it('logged no console errors or warnings on any page', () => {
    expect(consoleProblems).toEqual([]);
  });
});
