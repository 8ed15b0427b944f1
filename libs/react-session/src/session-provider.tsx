import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { versionToEtag, type SessionDto, type UserData } from '@session/rest-contract';
import { defaultLockManager, type LockManagerLike } from './create-lock';
import { SessionContext, type SessionContextValue, type SessionStatus } from './session-context';
import { guardedWrite, validateOrCreate } from './session-flows';
import { isSessionApiError, toSessionApiError, type SessionApiError } from './session-api-error';
import { createSessionRestClient, type MergePatch, type SessionRestClient, type SessionResult, type WriteOptions } from './session-rest-client';
import {
  defaultStorage,
  endedSnapshot,
  parseSnapshot,
  readSnapshot,
  sessionSnapshot,
  SNAPSHOT_KEY,
  writeSnapshot,
  type SnapshotStorage,
} from './session-snapshot';
import { estimateSkewMs, supersedes, timeLeftAt } from './session-time';

export interface SessionProviderProps {
  children: ReactNode;
  /** REST client; defaults to one on the global fetch, same origin. Read once at mount, like the two below. */
  client?: SessionRestClient;
  /** Where the snapshot lives; defaults to `localStorage`, `null` turns the snapshot off. */
  storage?: SnapshotStorage | null;
  /** Cross-tab lock for first-visit creation; defaults to `navigator.locks`, `null` uses the in-tab fallback. */
  locks?: LockManagerLike | null;
  /** Countdown resolution. */
  tickMs?: number;
}

interface State {
  session: SessionDto | null;
  status: Exclude<SessionStatus, 'expired'>;
  error: SessionApiError | null;
  /** Server clock minus local clock, from the last answer's `Date` header (kept in the snapshot across reloads). */
  skewMs: number;
}

const RENEW_RETRY_MS = 5_000;

/** Without storage nothing tells a first visit from a return: until the first answer, a placeholder no session has makes the server be asked. */
const UNKNOWN_SESSION_ID = 'unknown';

const isVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

export function SessionProvider({ children, client, storage, locks, tickMs = 1000 }: SessionProviderProps) {
  // Dependencies and bookkeeping are fixed for the provider's lifetime; a
  // mutable box keeps the callbacks below stable without stale closures.
  const [box] = useState(() => ({
    client: client ?? createSessionRestClient(),
    storage: storage === undefined ? defaultStorage() : storage,
    locks: locks === undefined ? defaultLockManager() : locks,
    session: null as SessionDto | null,
    /** Sessions this tab moved away from; a late answer or another tab's stale snapshot never brings them back. */
    retired: new Set<string>(),
    refreshing: null as Promise<SessionDto> | null,
    /** Server clock minus local clock, as in State, for the callbacks. */
    skewMs: 0,
    /** Without storage, whether this tab has heard what the cookie holds (an answer, or its own end). */
    heard: false,
  }));
  const [state, setState] = useState<State>(() => {
    const snapshot = readSnapshot(box.storage);
    box.session = snapshot?.kind === 'session' ? snapshot.session : null;
    box.skewMs = snapshot?.kind === 'session' ? snapshot.skew_ms : 0;
    return { session: box.session, status: 'loading', error: null, skewMs: box.skewMs };
  });
  const [now, setNow] = useState(() => Date.now());

  /** Takes a session the server (or another tab) reported, unless this tab already knows better. */
  const accept = useCallback(
    (result: Pick<SessionResult, 'session'> & Partial<SessionResult>, persist: boolean): SessionDto | null => {
      const { session } = result;
      box.heard = true;
      if (box.retired.has(session.session_id)) return box.session;
      if (result.serverTime != null) box.skewMs = estimateSkewMs(result.serverTime, Date.now());
      if (supersedes(session, box.session)) {
        if (box.session && box.session.session_id !== session.session_id) box.retired.add(box.session.session_id);
        box.session = session;
        if (persist) writeSnapshot(box.storage, sessionSnapshot(session, box.skewMs));
      }
      setState({ session: box.session, status: 'active', error: null, skewMs: box.skewMs });
      setNow(Date.now());
      return box.session;
    },
    [box],
  );

  const endLocally = useCallback(
    (sessionId: string | undefined) => {
      if (sessionId) box.retired.add(sessionId);
      box.session = null;
      box.heard = true;
      setState((s) => ({ ...s, session: null, status: 'ended', error: null }));
    },
    [box],
  );

  const fail = useCallback((error: unknown, status?: 'error'): SessionApiError => {
    const apiError = toSessionApiError(error);
    setState((s) => ({ ...s, status: status ?? s.status, error: apiError }));
    return apiError;
  }, []);

  /** See SessionSource.liveSessionId: the stored snapshot says, or this tab's own session when nothing is stored. */
  const liveSessionId = useCallback((): string | null => {
    if (!box.storage && !box.heard) return UNKNOWN_SESSION_ID;
    const snapshot = readSnapshot(box.storage);
    const known = snapshot ? (snapshot.kind === 'session' ? snapshot.session : null) : box.session;
    if (!known || box.retired.has(known.session_id) || timeLeftAt(known, Date.now() + box.skewMs) === 0) return null;
    return known.session_id;
  }, [box]);

  /** `refusedId`: a session the server just answered 401 for, so it is replaced without asking again. */
  const sync = useCallback((refusedId?: string): Promise<SessionDto> => {
    // One validation at a time per tab: mount, expiry, conflicts and clicks may all ask at once.
    box.refreshing ??= (async () => {
      try {
        const source = { client: box.client, locks: box.locks, liveSessionId, accept: (r: SessionResult) => accept(r, true) ?? r.session };
        return await validateOrCreate(source, refusedId);
      } catch (error) {
        throw fail(error, 'error');
      } finally {
        box.refreshing = null;
      }
    })();
    return box.refreshing;
  }, [accept, box, fail, liveSessionId]);

  const refresh = useCallback(() => sync(), [sync]);

  const write = useCallback(
    async (send: (options: WriteOptions) => Promise<SessionResult>): Promise<SessionDto> => {
      try {
        const result = await guardedWrite(send, {
          ifMatch: () => (box.session ? versionToEtag(box.session.version) : undefined),
          recover: (lost) => sync(lost ? box.session?.session_id : undefined),
        });
        return accept(result, true) ?? result.session;
      } catch (error) {
        throw fail(error);
      }
    },
    [accept, box, fail, sync],
  );

  const updateData = useCallback((patch: MergePatch) => write((o) => box.client.patchData(patch, o)), [box, write]);
  const replaceData = useCallback((data: UserData) => write((o) => box.client.replaceData(data, o)), [box, write]);

  const touch = useCallback(async (): Promise<SessionDto> => {
    try {
      const result = await box.client.touch();
      return accept(result, true) ?? result.session;
    } catch (error) {
      if (isSessionApiError(error) && error.isUnauthenticated) return sync(box.session?.session_id);
      throw fail(error);
    }
  }, [accept, box, fail, sync]);

  const endSession = useCallback(async (): Promise<void> => {
    const sessionId = box.session?.session_id;
    try {
      await box.client.end();
    } catch (error) {
      // Already gone on the server: ending it here is still what the user asked for.
      if (!(isSessionApiError(error) && error.isUnauthenticated)) throw fail(error);
    }
    writeSnapshot(box.storage, endedSnapshot(sessionId ?? ''));
    endLocally(sessionId);
  }, [box, endLocally, fail]);

  // Validate the restored snapshot (or create a session when there is no live one) once on mount.
  useEffect(() => {
    refresh().catch(() => undefined);
  }, [refresh]);

  // Other tabs write the snapshot; the storage event brings their view here without a reload.
  useEffect(() => {
    if (typeof window === 'undefined') return;
    const onStorage = (event: StorageEvent) => {
      if (event.key !== SNAPSHOT_KEY || (event.storageArea && event.storageArea !== box.storage)) return;
      const snapshot = parseSnapshot(event.newValue);
      if (snapshot?.kind === 'session') accept(snapshot, false);
      // An end in another tab applies here only to the same session (not to one this tab already replaced).
      else if (snapshot?.kind === 'ended' && (!snapshot.session_id || snapshot.session_id === box.session?.session_id)) endLocally(snapshot.session_id);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [accept, box, endLocally]);

  const hasSession = state.session !== null;
  useEffect(() => {
    if (!hasSession) return;
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [hasSession, tickMs]);

  const timeLeftMs = state.session ? timeLeftAt(state.session, now + state.skewMs) : null;
  const status: SessionStatus = state.status === 'active' && timeLeftMs === 0 ? 'expired' : state.status;

  // An expired session is replaced as soon as someone can see the tab; hidden tabs wait
  // (or pick up the replacement another tab made through the storage event). The retry
  // covers a renewal that joined a validation already in flight, which can only confirm
  // the old session.
  const expiredId = status === 'expired' ? state.session?.session_id : undefined;
  useEffect(() => {
    if (!expiredId) return;
    const renew = () => {
      if (isVisible()) refresh().catch(() => undefined);
    };
    renew();
    const timer = setInterval(renew, RENEW_RETRY_MS);
    document.addEventListener('visibilitychange', renew);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', renew);
    };
  }, [expiredId, refresh]);

  const value = useMemo<SessionContextValue>(
    () => ({ session: state.session, status, error: state.error, timeLeftMs, updateData, replaceData, endSession, refresh, touch }),
    [state.session, status, state.error, timeLeftMs, updateData, replaceData, endSession, refresh, touch],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
