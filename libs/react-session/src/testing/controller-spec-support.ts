// Shared by the controller specs (plain Node, Jest's fake clock); not part of the testing entry point.
import { createSessionController, type SessionController } from '../session-controller';
import { createSessionRestClient, type FetchLike } from '../session-rest-client';
import type { SessionState } from '../session-state';
import type { FakeSessionApi } from './fake-session-api';
import type { FakeTab } from './fake-origin';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;

/**
 * Installs the fake clock for each test and returns `started`, which starts a
 * controller and has it stopped after the test.
 */
export function useControllerClock() {
  const stops: Array<() => void> = [];
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2030-01-01T09:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => {
    stops.splice(0).forEach((stop) => stop());
    jest.useRealTimers();
  });
  return function started(controller: SessionController): SessionController {
    stops.push(controller.start());
    return controller;
  };
}

export function controllerFor(
  api: FakeSessionApi,
  tab: FakeTab | null,
  fetch: FetchLike = api.fetch,
  revalidateMs?: number,
): SessionController {
  return createSessionController({
    client: createSessionRestClient({ fetch }),
    storage: tab?.storage ?? null,
    host: tab?.host ?? null,
    locks: null,
    revalidateMs,
  });
}

/** Resolves with the first state (the current one included) that passes `ok`. */
export function until(controller: SessionController, ok: (state: SessionState) => boolean): Promise<SessionState> {
  return new Promise((resolve) => {
    const check = () => {
      if (!ok(controller.getState())) return;
      unsubscribe();
      resolve(controller.getState());
    };
    const unsubscribe = controller.subscribe(check);
    check();
  });
}
