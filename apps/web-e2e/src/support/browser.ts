import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** These specs need a real browser: a missing one is a failure with a way out, never a skip. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: the browser end-to-end specs need it. Install it with: apt-get install -y chromium`);
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
 * Chrome logs every non-2xx fetch as a console error. A 401 from
 * `GET /api/sessions/current` is the API saying "no valid session" (first
 * visit, expired, ended), which the app answers by creating one: that one
 * line is expected; any other error or warning is a finding.
 */
function isExpectedNoSessionAnswer(text: string, url: string): boolean {
  return text.startsWith('Failed to load resource: the server responded with a status of 401') && new URL(url).pathname === '/api/sessions/current';
}

/** Collects console errors and warnings, and uncaught exceptions, of a page. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    if (isExpectedNoSessionAnswer(message.text(), message.location().url)) return;
    problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}
