import type { BrowserContext, Page } from 'playwright-core';
import { watchConsole } from './browser';

const SNAPSHOT_KEY = 'session.snapshot.v1';

/** What the app shows and stores, read the way a user (or a curious script in the page) could. */
export class WebPage {
  constructor(readonly page: Page) {}

  /** Opens `url` in a new tab of `context`, its console errors and warnings collected into `problems`. */
  static async open(context: BrowserContext, url: string, problems: string[]): Promise<WebPage> {
    const page = await context.newPage();
    watchConsole(page, problems);
    await page.goto(url);
    return new WebPage(page);
  }

  /** Waits for the status badge to say Active and returns the full session id shown on the card. */
  async activeSessionId(): Promise<string> {
    await this.page.locator('.badge-active').waitFor();
    const id = await this.page.locator('[data-session-id]').getAttribute('data-session-id');
    if (!id) throw new Error('the session card shows no session id');
    return id;
  }

  /** Waits until the card shows a session other than `previous` (without reloading). */
  async waitForSessionOtherThan(previous: string, timeoutMs = 15_000): Promise<string> {
    await this.page.waitForFunction(
      (old) => {
        const shown = document.querySelector('[data-session-id]')?.getAttribute('data-session-id');
        return !!shown && shown !== old && document.querySelector('.badge-active') !== null;
      },
      previous,
      { timeout: timeoutMs },
    );
    return this.activeSessionId();
  }

  storedSnapshot(): Promise<string | null> {
    return this.page.evaluate((key) => localStorage.getItem(key), SNAPSHOT_KEY);
  }

  /** Resolves once the stored snapshot names `userId` as the session's user. */
  async waitForStoredUser(userId: string): Promise<void> {
    await this.page.waitForFunction(([key, user]) => JSON.parse(localStorage.getItem(key) ?? 'null')?.session?.user_id === user, [
      SNAPSHOT_KEY,
      userId,
    ] as const);
  }

  documentCookie(): Promise<string> {
    return this.page.evaluate(() => document.cookie);
  }

  theme(): Promise<string | undefined> {
    return this.page.evaluate(() => document.documentElement.dataset.theme);
  }

  async waitForTheme(theme: string): Promise<void> {
    await this.page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
  }

  async waitForText(text: string): Promise<void> {
    await this.page.getByText(text, { exact: true }).first().waitFor();
  }

  /** Resolves once the server's answer to a preference change reached the stored snapshot. */
  async waitForStoredPreference(name: string, value: string): Promise<void> {
    await this.page.waitForFunction(
      ([key, field, expected]) => {
        const raw = localStorage.getItem(key);
        return !!raw && JSON.parse(raw)?.session?.user_data?.preferences?.[field] === expected;
      },
      [SNAPSHOT_KEY, name, value] as const,
    );
  }

  async saveDisplayName(name: string): Promise<void> {
    await this.page.getByLabel('Display name').fill(name);
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
    await this.waitForStoredPreference('display_name', name);
  }

  async pickTheme(label: 'Light' | 'Dark' | 'System'): Promise<void> {
    await this.page.getByRole('radio', { name: label }).check();
    await this.waitForStoredPreference('theme', label.toLowerCase());
  }

  async pickLanguage(value: string): Promise<void> {
    await this.page.getByLabel('Language').selectOption(value);
    await this.waitForStoredPreference('language', value);
  }
}
