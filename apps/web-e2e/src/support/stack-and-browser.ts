import type { BrowserContext } from 'playwright-core';
import { BrowserProfile, failOnConsoleProblems } from './browser';
import { startStack, type Stack } from './stack';
import { WebPage } from './web-page';

/**
 * One real stack (its session service started with `sessionServiceEnv`, for
 * short timeouts) and one browser profile for the specs of a describe block.
 * `open()` fails each test that logs a console error or warning; a spec that
 * provokes some passes its own list and says which it expects.
 */
export function useStackAndBrowser(sessionServiceEnv: NodeJS.ProcessEnv = {}) {
  // Filled in by beforeAll, before any test reads it.
  const env = {} as { stack: Stack; context: BrowserContext };
  const profile = new BrowserProfile();
  const consoleProblems = failOnConsoleProblems();
  beforeAll(async () => {
    // The browser first: without one the suite fails at once, before any server starts.
    env.context = await profile.launch();
    env.stack = await startStack(sessionServiceEnv);
  });
  afterAll(async () => {
    await profile.dispose();
    await env.stack?.stop();
  });
  const open = (problems = consoleProblems) => WebPage.open(env.context, env.stack.url, problems);
  return { env, open };
}
