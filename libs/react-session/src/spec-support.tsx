import { render } from '@testing-library/react';
import { SessionProvider } from './session-provider';
import { useSession, type SessionContextValue } from './session-context';
import { createSessionRestClient, type FetchLike } from './session-rest-client';
import { withLock, type LockManagerLike } from './create-lock';
import type { FakeSessionApi } from './fake-session-api';

/** A lock manager shared by providers in one test, like `navigator.locks` is by the tabs of an origin. */
export function createFakeLockManager(): LockManagerLike & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    request(name, task) {
      requested.push(name);
      return withLock(null, `fake-lock:${name}`, task);
    },
  };
}

/** Shows the provider's state as text and hands the live value to the test. */
export function mountProvider(api: FakeSessionApi, options: { fetch?: FetchLike; locks?: LockManagerLike | null; tickMs?: number; testId?: string } = {}) {
  const latest: { value: SessionContextValue | null } = { value: null };
  const testId = options.testId ?? 'session';
  function Probe() {
    const value = useSession();
    latest.value = value;
    const { status, session } = value;
    return <output data-testid={testId}>{`${status}|${session?.session_id ?? '-'}|${JSON.stringify(session?.user_data ?? null)}`}</output>;
  }
  const view = render(
    <SessionProvider client={createSessionRestClient({ fetch: options.fetch ?? api.fetch })} locks={options.locks ?? null} tickMs={options.tickMs}>
      <Probe />
    </SessionProvider>,
  );
  return {
    view,
    get value(): SessionContextValue {
      if (!latest.value) throw new Error('provider not rendered');
      return latest.value;
    },
    text: () => view.getByTestId(testId).textContent ?? '',
  };
}
