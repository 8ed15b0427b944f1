import type { SessionDto } from '@session/rest-contract';
import { isSessionDto } from './rest-answers';

/** localStorage key shared by every tab of the origin; bump the suffix when the stored shape changes. */
export const SNAPSHOT_KEY = 'session.snapshot.v1';

/**
 * What the tabs share through localStorage. Never a credential: only the
 * public id and the last session the server returned (which has no secret),
 * or a marker that the session was ended, so other tabs follow a logout.
 */
export type StoredSnapshot = SessionSnapshot | { kind: 'ended'; session_id: string; saved_at: string };

export interface SessionSnapshot {
  kind: 'session';
  session_id: string;
  session: SessionDto;
  saved_at: string;
  /** Server clock minus this machine's, as last measured; judges expiry before the first answer after a reload. */
  skew_ms: number;
}

/** The part of `Storage` the provider uses, so a test or a non-browser host can pass its own. */
export type SnapshotStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function parseSnapshot(raw: string | null): StoredSnapshot | null {
  if (!raw) return null;
  let value: Partial<StoredSnapshot & { session: unknown; skew_ms: unknown }>;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || typeof value.session_id !== 'string') return null;
  if (value.kind === 'ended') return { kind: 'ended', session_id: value.session_id, saved_at: String(value.saved_at) };
  if (value.kind === 'session' && isSessionDto(value.session) && value.session.session_id === value.session_id) {
    // Snapshots stored before the skew was kept have none: no correction, as before.
    const skewMs = typeof value.skew_ms === 'number' && Number.isFinite(value.skew_ms) ? value.skew_ms : 0;
    return {
      kind: 'session',
      session_id: value.session_id,
      session: withoutClaims(value.session),
      saved_at: String(value.saved_at),
      skew_ms: skewMs,
    };
  }
  return null;
}

/** Storage can throw (quota, privacy modes); a snapshot is a cache, so failures only cost the instant restore. */
export function readSnapshot(storage: SnapshotStorage | null): StoredSnapshot | null {
  try {
    return parseSnapshot(storage?.getItem(SNAPSHOT_KEY) ?? null);
  } catch {
    return null;
  }
}

export function writeSnapshot(storage: SnapshotStorage | null, snapshot: StoredSnapshot): void {
  try {
    storage?.setItem(SNAPSHOT_KEY, JSON.stringify(snapshot));
  } catch {
    // See readSnapshot: losing the cache is acceptable.
  }
}

/**
 * Removes the stored session snapshot when `matches` says so. It holds the
 * user id and data, which must not stay in the browser once the session is
 * over (expired, or refused by the server); an end marker or another tab's
 * newer session fails `matches` and stays.
 */
export function forgetSessionSnapshot(storage: SnapshotStorage | null, matches: (snapshot: SessionSnapshot) => boolean): void {
  const snapshot = readSnapshot(storage);
  if (snapshot?.kind !== 'session' || !matches(snapshot)) return;
  try {
    storage?.removeItem(SNAPSHOT_KEY);
  } catch {
    // See readSnapshot; a storage that cannot be written cannot have kept the snapshot either.
  }
}

export function sessionSnapshot(session: SessionDto, skewMs = 0): StoredSnapshot {
  return {
    kind: 'session',
    session_id: session.session_id,
    session: withoutClaims(session),
    saved_at: new Date().toISOString(),
    skew_ms: skewMs,
  };
}

/**
 * The session without its `claims`: trusted facts (roles and the like) that
 * the server answers with but that any script of the origin could read from
 * localStorage, and that would outlive the session there. Also applied when
 * reading, so a snapshot some older code stored with them is not shown.
 */
function withoutClaims(session: SessionDto): SessionDto {
  if (!('claims' in session)) return session;
  const copy: Partial<SessionDto> = { ...session };
  delete copy.claims;
  // A restored session has no claims until the server's next answer brings them.
  return copy as SessionDto;
}

export function endedSnapshot(sessionId: string): StoredSnapshot {
  return { kind: 'ended', session_id: sessionId, saved_at: new Date().toISOString() };
}

/** `window.localStorage` when there is one and it can be touched (it throws in some privacy modes). */
export function defaultStorage(): SnapshotStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}
