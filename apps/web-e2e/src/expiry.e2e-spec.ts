import { waitUntil } from '@session/testing';
import { useStackAndBrowser } from './support/stack-and-browser';

describe('with a 2 s idle timeout', () => {
  const { env, open } = useStackAndBrowser({ SESSION_IDLE_TTL: '2s' });

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
    // Letting the idle timeout pass with no page open is the point of the test: wait for the
    // expiry the server stated for this session (not a guessed 2.5 s), on the clock it shares.
    const stored = await waitUntil(
      async () => {
        const snapshot = JSON.parse((await web.storedSnapshot()) ?? 'null') as {
          session?: { session_id: string; idle_expires_at: string };
        } | null;
        return snapshot?.session?.session_id === first && snapshot.session;
      },
      { what: 'the snapshot of the first session' },
    );
    await web.page.goto('about:blank');
    await waitUntil(() => Date.now() > Date.parse(stored.idle_expires_at), {
      what: 'the stated idle expiry to pass',
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    await web.page.goto(env.stack.url);
    const next = await web.activeSessionId();
    expect(next).not.toBe(first);
    expect(JSON.parse((await web.storedSnapshot())!)).toMatchObject({ session_id: next });
    await web.page.close();
  });
});

describe('with a 10 s idle timeout', () => {
  const { open } = useStackAndBrowser({ SESSION_IDLE_TTL: '10s' });

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
