import type { SessionHost } from './session-host';

const RENEW_RETRY_MS = 5_000;

export interface SessionTimersOptions {
  tickMs: number;
  host: SessionHost | null;
  /** The countdown's tick. */
  tick(): void;
  /** Replaces the expired session (the controller's single-flight refresh). */
  renew(): void;
}

export interface SessionTimers {
  /** Ticks while `ticking`; renews while `expiredId` names a session, and stops whatever is no longer asked for. */
  set(ticking: boolean, expiredId: string | undefined): void;
}

/**
 * The session controller's timers. An expired session is replaced as soon as
 * someone can see the page; hidden pages wait (or pick up the replacement
 * another tab made through the storage event). The retry covers a renewal
 * that joined a validation already in flight, which can only confirm the old
 * session.
 */
export function createSessionTimers({ tickMs, host, tick, renew }: SessionTimersOptions): SessionTimers {
  let ticker: ReturnType<typeof setInterval> | null = null;
  let renewal: { sessionId: string; stop(): void } | null = null;

  function renewWhenVisible(sessionId: string) {
    const attempt = () => {
      if (!host || host.isVisible()) renew();
    };
    const timer = setInterval(attempt, RENEW_RETRY_MS);
    const stopWatching = host?.onVisibilityChange(attempt);
    renewal = {
      sessionId,
      stop() {
        clearInterval(timer);
        stopWatching?.();
      },
    };
    attempt();
  }

  return {
    set(ticking, expiredId) {
      if (ticking && !ticker) ticker = setInterval(tick, tickMs);
      if (!ticking && ticker) {
        clearInterval(ticker);
        ticker = null;
      }
      if (renewal?.sessionId === expiredId) return;
      renewal?.stop();
      renewal = null;
      if (expiredId) renewWhenVisible(expiredId);
    },
  };
}
