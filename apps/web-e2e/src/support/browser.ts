import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** These specs need a real browser: a missing one is a failure with a way out, never a skip. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the browser end-to-end specs need it. Install it with: apt-get install -y chromium`,
    );
  }
}

/** A browser profile folder that outlives one launch, so a "browser restart" reopens the same cookies and storage. */
export class BrowserProfile {
  readonly dir = mkdtempSync(join(tmpdir(), 'web-e2e-profile-'));
  private context: BrowserContext | null = null;

  async launch(): Promise<BrowserContext> {
    requireChromium();
    this.context = await chromium.launchPersistentContext(this.dir, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
    return this.context;
  }

  async close(): Promise<void> {
    await this.context?.close();
    this.context = null;
  }

  async dispose(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Collects a page's console errors and warnings, and uncaught exceptions,
 * into `problems` as `type: text (url)`. Nothing is filtered: Chrome logs
 * every non-2xx answer as an error and the app's normal flows get none, so a
 * spec that provokes one (a session revoked behind the browser's back) gives
 * that page its own list and says exactly what it expects there.
 */
export function watchConsole(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
}

/** A list for watchConsole that fails each test in which anything landed in it. */
export function failOnConsoleProblems(): string[] {
  const problems: string[] = [];
  afterEach(() => expect(problems.splice(0)).toEqual([]));
  return problems;
}
