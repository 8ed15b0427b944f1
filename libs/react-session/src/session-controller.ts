import { versionToEtag, type SessionDto } from '@session/rest-contract';
import { createAccountActions } from './account-actions';
import { defaultLockManager, type LockManagerLike } from './create-lock';
import { forgetOnUnauthenticated } from './forget-on-unauthenticated';
import { guardedWrite, validateOrCreate } from './session-flows';
import { browserHost, type SessionHost, type StorageChange } from './session-host';
import { isSessionApiError, toSessionApiError, type SessionApiError } from './session-api-error';
import { createSessionRestClient, type SessionRestClient, type SessionResult, type WriteOptions } from './session-rest-client';
import {
  defaultStorage,
  endedSnapshot,
  forgetSessionSnapshot,
  parseSnapshot,
  readSnapshot,
  sessionSnapshot,
  SNAPSHOT_KEY,
  writeSnapshot,
  type SnapshotStorage,
} from './session-snapshot';
import type { SessionActions, SessionState, SessionStatus } from './session-state';
import { estimateSkewMs, supersedes, timeLeftAt } from './session-time';
import { createSessionTimers } from './session-timers';
import { createSignedInRevalidation } from './signed-in-revalidation';

export interface SessionControllerOptions {
  /** REST client; defaults to one on the global fetch, same origin. */
  client?: SessionRestClient;
  /** Where the snapshot lives; defaults to `localStorage`, `null` turns the snapshot off. */
  storage?: SnapshotStorage | null;
  /** Cross-tab lock for first-visit creation; defaults to `navigator.locks`, `null` uses the in-tab fallback. */
  locks?: LockManagerLike | null;
  /** Other tabs' storage writes and page visibility; defaults to `window`/`document`, `null` for none. */
  host?: SessionHost | null;
  /** Countdown resolution. */
  tickMs?: number;
  /** How often a visible, signed-in tab checks that its session was not ended from another device. */
  revalidateMs?: number;
}

/**
 * The one copy of this tab's session, usable from any framework or a plain
 * script: `subscribe` + `getState` fit React's `useSyncExternalStore`.
 */
export interface SessionController extends SessionActions {
  getState(): SessionState;
  /** `listener` runs after every change of `getState()`; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /**
   * Validates (or creates) the session, and listens to other tabs, the clock
   * and visibility until the returned stop is called. Calls nest: the work
   * stops with the last stop, so a remount (React's StrictMode) only joins
   * the validation already in flight.
   */
  start(): () => void;
}

type KnownStatus = Exclude<SessionStatus, 'expired'>;

/** Without storage nothing tells a first visit from a return: until the first answer, a placeholder no session has makes the server be asked. */
const UNKNOWN_SESSION_ID = 'unknown';

const ignore = (): void => undefined;

export function createSessionController(options: SessionControllerOptions = {}): SessionController {
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const client = forgetOnUnauthenticated(options.client ?? createSessionRestClient(), storage);
  const locks = options.locks === undefined ? defaultLockManager() : options.locks;
  const host = options.host === undefined ? browserHost() : options.host;
  const tickMs = options.tickMs ?? 1000;
  const revalidateMs = options.revalidateMs ?? 60_000;

  const listeners = new Set<() => void>();
  /** Sessions this tab moved away from; a late answer or another tab's stale snapshot never brings them back. */
  const retired = new Set<string>();
  let refreshing: Promise<SessionDto> | null = null;
  /** Without storage, whether this tab has heard what the cookie holds (an answer, or its own end). */
  let heard = false;
  let known: KnownStatus = 'loading';
  let error: SessionApiError | null = null;
  let session: SessionDto | null = null;
  /** Server clock minus local clock, from the last answer's `Date` header (kept in the snapshot across reloads). */
  let skewMs = 0;

  const restored = readSnapshot(storage);
  if (restored?.kind === 'session') {
    skewMs = restored.skew_ms;
    // An expired snapshot is neither shown nor kept: its user id and data go now, not on the next answer.
    if (timeLeftAt(restored.session, Date.now() + skewMs) > 0) session = restored.session;
    else forgetSessionSnapshot(storage, (s) => s.session_id === restored.session_id);
  }

  let starts = 0;
  let stopListening = ignore;
  const timers = createSessionTimers({ tickMs, host, tick: () => update(), renew: () => refresh().catch(ignore) });
  const revalidation = createSignedInRevalidation(revalidateMs, host, () => refresh().catch(ignore));
  let state: SessionState = { session, status: known, error, timeLeftMs: session ? timeLeftAt(session, Date.now() + skewMs) : null };

  /** Recomputes the state from the clock, tells subscribers when it changed, and (re)arms the timers it needs. */
  function update(): void {
    const serverNow = Date.now() + skewMs;
    const timeLeftMs = session ? timeLeftAt(session, serverNow) : null;
    // The stored copy expires with the session (another tab may hold a fresher copy of it: only an expired one goes).
    if (timeLeftMs === 0) forgetSessionSnapshot(storage, (s) => timeLeftAt(s.session, serverNow) === 0);
    const status: SessionStatus = known === 'active' && timeLeftMs === 0 ? 'expired' : known;
    if (state.session !== session || state.status !== status || state.error !== error || state.timeLeftMs !== timeLeftMs) {
      state = { session, status, error, timeLeftMs };
      listeners.forEach((listener) => listener());
    }
    arm();
  }

  function arm(): void {
    const running = starts > 0;
    timers.set(running && session !== null, running && state.status === 'expired' ? state.session?.session_id : undefined);
    revalidation.set(running && state.status === 'active' && !!session?.user_id);
  }

  /** Takes a session the server (or another tab) reported, unless this tab already knows better. */
  function accept(result: Pick<SessionResult, 'session'> & Partial<SessionResult>, persist: boolean): SessionDto | null {
    const next = result.session;
    heard = true;
    if (retired.has(next.session_id)) return session;
    if (result.serverTime != null) skewMs = estimateSkewMs(result.serverTime, Date.now());
    if (supersedes(next, session)) {
      if (session && session.session_id !== next.session_id) retired.add(session.session_id);
      session = next;
      if (persist) writeSnapshot(storage, sessionSnapshot(next, skewMs));
    }
    known = 'active';
    error = null;
    update();
    return session;
  }

  function endLocally(sessionId: string | undefined): void {
    if (sessionId) retired.add(sessionId);
    session = null;
    heard = true;
    known = 'ended';
    error = null;
    update();
  }

  function fail(cause: unknown, status?: 'error'): SessionApiError {
    error = toSessionApiError(cause);
    known = status ?? known;
    update();
    return error;
  }

  /** See SessionSource.liveSessionId: the stored snapshot says, or this tab's own session when nothing is stored. */
  function liveSessionId(): string | null {
    if (!storage && !heard) return UNKNOWN_SESSION_ID;
    const snapshot = readSnapshot(storage);
    const live = snapshot ? (snapshot.kind === 'session' ? snapshot.session : null) : session;
    if (!live || retired.has(live.session_id) || timeLeftAt(live, Date.now() + skewMs) === 0) return null;
    return live.session_id;
  }

  /** `refusedId`: a session the server just answered 401 for, so it is replaced without asking again. */
  function sync(refusedId?: string): Promise<SessionDto> {
    // One validation at a time per tab: mount, expiry, conflicts and clicks may all ask at once.
    refreshing ??= (async () => {
      try {
        const source = { client, locks, liveSessionId, accept: (r: SessionResult) => accept(r, true) ?? r.session };
        return await validateOrCreate(source, refusedId);
      } catch (cause) {
        throw fail(cause, 'error');
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  const refresh = () => sync();

  // A 401 refuses the session the request was sent for; another tab's newer one may have arrived since.
  async function write(send: (options: WriteOptions) => Promise<SessionResult>): Promise<SessionDto> {
    let sentFor: string | undefined;
    try {
      const result = await guardedWrite(send, {
        ifMatch: () => {
          sentFor = session?.session_id;
          return session ? versionToEtag(session.version) : undefined;
        },
        recover: (lost) => sync(lost ? sentFor : undefined),
      });
      return accept(result, true) ?? result.session;
    } catch (cause) {
      throw fail(cause);
    }
  }

  async function touch(): Promise<SessionDto> {
    const sentFor = session?.session_id;
    try {
      const result = await client.touch();
      return accept(result, true) ?? result.session;
    } catch (cause) {
      if (isSessionApiError(cause) && cause.isUnauthenticated) return sync(sentFor);
      throw fail(cause);
    }
  }

  async function endSession(): Promise<void> {
    const sessionId = session?.session_id;
    try {
      await client.end();
    } catch (cause) {
      // Already gone on the server: ending it here is still what the user asked for.
      if (!(isSessionApiError(cause) && cause.isUnauthenticated)) throw fail(cause);
    }
    writeSnapshot(storage, endedSnapshot(sessionId ?? ''));
    endLocally(sessionId);
  }

  // Other tabs write the snapshot; the storage event brings their view here without a reload.
  function onStorageChange(change: StorageChange): void {
    if (change.key !== SNAPSHOT_KEY || (change.storageArea && change.storageArea !== storage)) return;
    const snapshot = parseSnapshot(change.newValue);
    if (snapshot?.kind === 'session') accept(snapshot, false);
    // An end in another tab applies here only to the same session (not to one this tab already replaced).
    else if (snapshot?.kind === 'ended' && (!snapshot.session_id || snapshot.session_id === session?.session_id))
      endLocally(snapshot.session_id);
  }

  function start(): () => void {
    starts += 1;
    if (starts === 1) {
      stopListening = host?.onStorageChange(onStorageChange) ?? ignore;
      update();
      refresh().catch(ignore);
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      starts -= 1;
      if (starts > 0) return;
      stopListening();
      stopListening = ignore;
      arm();
    };
  }

  const accounts = createAccountActions({
    client,
    currentSessionId: () => session?.session_id,
    ensureSession: () => (liveSessionId() === null ? sync() : Promise.resolve()),
    replaceRefused: (sessionId) => sync(sessionId),
    accept: (result) => accept(result, true) ?? result.session,
    endSession,
    refresh,
  });

  return {
    ...accounts,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start,
    refresh,
    touch,
    endSession,
    updateData: (patch) => write((o) => client.patchData(patch, o)),
    replaceData: (data) => write((o) => client.replaceData(data, o)),
  };
}
