import type { BrowserContext } from 'playwright-core';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { useStackAndBrowser } from './support/stack-and-browser';
import type { Stack } from './support/stack';
import type { WebPage } from './support/web-page';

// Security review: the snapshot in localStorage must not keep the user id
// and data after the session is over (expired, or refused with a 401). In both
// scenarios no new session can be made at that moment, so nothing but the
// clearing itself can take the old user out of the snapshot.

const failedLoad = (reason: string) => expect.stringMatching(new RegExp(`^error: Failed to load resource: ${reason}`));

/** The HttpOnly cookie holding the token of the session the page shows. */
async function sessionCookie(context: BrowserContext, stack: Stack, web: WebPage) {
  const id = await web.activeSessionId();
  const cookie = (await context.cookies(stack.url)).find((c) => c.value.startsWith(`${id}.`));
  if (!cookie) throw new Error(`no cookie holds session ${id}`);
  return cookie;
}

/**
 * Signs the page's session in as `userId` the way a trusted back end would:
 * BindUser over gRPC (which rotates the token) and the new token set as the
 * cookie; then a reload, and a display name saved into `user_data`.
 */
async function signIn(env: { stack: Stack; context: BrowserContext }, web: WebPage, userId: string, displayName: string) {
  const cookie = await sessionCookie(env.context, env.stack, web);
  const trusted = new SessionApi(createSessionClient({ address: env.stack.sessionServiceAddress }));
  try {
    const { token } = await trusted.bindUser({ token: cookie.value, user_id: userId });
    await env.context.addCookies([{ ...cookie, value: token }]);
  } finally {
    trusted.close();
  }
  await web.page.reload();
  await web.waitForStoredUser(userId);
  await web.saveDisplayName(displayName);
  expect(JSON.parse((await web.storedSnapshot()) ?? 'null')).toMatchObject({
    session: { user_id: userId, user_data: { preferences: { display_name: displayName } } },
  });
}

describe('the stored snapshot, with a 5 s idle timeout', () => {
  const { env, open } = useStackAndBrowser({ SESSION_IDLE_TTL: '5s' });

  it('keeps no user id or data once the session has expired', async () => {
    const problems: string[] = [];
    const web = await open(problems);
    await signIn(env, web, 'user-42', 'Ada');
    const expiredId = await web.activeSessionId();

    // Offline, the expired session cannot be replaced: the badge turns Expired, then Offline when the renewal fails.
    await env.context.setOffline(true);
    await web.page.locator('.badge-expired, .badge-error').waitFor({ timeout: 10_000 });
    expect(await web.storedSnapshot()).toBeNull();

    // Back online, "Try again" brings a new session, stored without the old user.
    await env.context.setOffline(false);
    await web.page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
    await web.waitForSessionOtherThan(expiredId);
    const stored = (await web.storedSnapshot()) ?? '';
    expect(JSON.parse(stored)).toMatchObject({ session: { user_id: null } });
    expect(stored).not.toMatch(/user-42|Ada/);
    await web.page.close();
    // Only the renewal attempted offline failed.
    expect(problems.length).toBeGreaterThan(0);
    expect(problems).toEqual(problems.map(() => failedLoad('net::ERR_INTERNET_DISCONNECTED')));
  });
});

describe('the stored snapshot, with the default timeouts', () => {
  const { env, open } = useStackAndBrowser();

  it('keeps no user id or data once the server answered 401', async () => {
    const problems: string[] = [];
    const web = await open(problems);
    await signIn(env, web, 'user-7', 'Grace');
    const { value: token } = await sessionCookie(env.context, env.stack, web);
    // Another holder of the token ends the session; this browser is not told.
    const answer = await fetch(`${env.stack.url}/api/sessions/current`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(204);
    // And no new session can be made for now.
    await web.page.route('**/api/sessions', (route) => (route.request().method() === 'POST' ? route.abort() : route.fallback()));

    await web.page.getByLabel('Display name').fill('Grace Hopper');
    await web.page.getByRole('button', { name: 'Save', exact: true }).click();
    await web.page.locator('.badge-error').waitFor();
    expect(await web.storedSnapshot()).toBeNull();
    await web.page.close();
    expect(problems).toEqual([failedLoad('the server responded with a status of 401 \\(Unauthorized\\)'), failedLoad('net::ERR_FAILED')]);
  });
});
