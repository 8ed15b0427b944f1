import type { SessionHost } from './session-host';

export interface SignedInRevalidation {
  /** Revalidates while `on`; stops when no longer asked to. */
  set(on: boolean): void;
}

/**
 * A signed-in session can be ended from another device ("sign out" in the
 * devices list, a password change), and nothing tells this browser. So while
 * signed in, a visible tab asks the server every `intervalMs` and whenever it
 * becomes visible again; a refused session is replaced by an anonymous one on
 * the way. Anonymous sessions are not polled: nobody else can end them but a
 * holder of the token, and the next write finds out.
 */
export function createSignedInRevalidation(intervalMs: number, host: SessionHost | null, revalidate: () => void): SignedInRevalidation {
  let stop: (() => void) | null = null;
  const ifVisible = () => {
    if (!host || host.isVisible()) revalidate();
  };
  return {
    set(on) {
      if (on && !stop) {
        const timer = setInterval(ifVisible, intervalMs);
        const unwatch = host?.onVisibilityChange(ifVisible);
        stop = () => {
          clearInterval(timer);
          unwatch?.();
        };
      } else if (!on && stop) {
        stop();
        stop = null;
      }
    },
  };
}
