import type { SessionServiceConfig } from '@session/config';
import type { JsonObject } from '@session/proto';
import type { CallContext } from './call-context';
import type { ChangePublisher } from './change-publisher';
import type { Clock } from './clock';
import { validateClaims } from './claims';
import { deviceToStore } from './device';
import {
  BadRequestError,
  ForbiddenError,
  ReauthenticationRequiredError,
  SessionExpiredError,
  SessionIdNotFoundError,
  SessionNotFoundError,
  SessionRevokedError,
  VersionConflictError,
} from './errors';
import { boundAbsoluteExpiry, extendedExpiry, initialExpiry, sessionState, touchIsDue } from './expiry';
import { KeyedLock } from './keyed-lock';
import { applyMergePatch } from './merge-patch';
import { decodePageToken, encodePageToken } from './page-token';
import { NOT_SIGNED_IN, withoutSecret, type Session, type SessionRecord, type UpdateMode } from './session';
import type { SessionPage, SessionStore } from './session-store';
import { hashSecret, isSessionId, mintSecret, mintToken, parseToken, secretMatches } from './token';
import { validateUserData } from './user-data';

export type SessionPolicy = SessionServiceConfig['session'];

export interface IssuedSession {
  readonly token: string;
  readonly session: Session;
}

/** A bind's outcome: the new token, and the sessions the per-user limit revoked. */
export interface BoundSession extends IssuedSession {
  readonly evicted: readonly string[];
  /** Why the eviction stopped early, when it did (for the logs; the bind itself stands). */
  readonly evictionError?: unknown;
}

export interface Revocation {
  readonly sessionId: string;
  readonly revoked: boolean;
}

export interface ListRequest {
  /** 0 for the default. */
  readonly pageSize: number;
  /** Empty for the first page. */
  readonly pageToken: string;
  readonly includeUserData: boolean;
}

export interface ListedPage {
  readonly sessions: Session[];
  /** Empty on the last page. */
  readonly nextPageToken: string;
}

/** The device as the caller saw it (the gateway: user agent and client address). */
export interface DeviceInput {
  readonly userAgent: string;
  readonly clientAddress: string;
}

/** What a sign-in brings to BindUser besides the user; each part optional. */
export interface SignIn {
  /** E.g. "password"; recorded with the bind's time as authenticated_at. */
  readonly authenticationMethod?: string;
  /** Without it the session gets the browser lifetime (SESSION_BROWSER_ABSOLUTE_TTL). */
  readonly rememberMe?: boolean;
  /** Null keeps the device the session was created with. */
  readonly device?: DeviceInput | null;
  /** Replaces the claims; null or absent leaves none. */
  readonly claims?: JsonObject | null;
}

export interface DataUpdate {
  readonly userData: JsonObject;
  readonly mode: UpdateMode;
  readonly expectedVersion?: number;
}

const USER_ID_MAX_LENGTH = 256;
const AUTHENTICATION_METHOD = /^[\x21-\x7e]{0,64}$/;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/**
 * With user_data, a page stops before its data passes this many bytes (one session at least), so
 * a page stays far below gRPC's 4 MB message limit whatever USER_DATA_MAX_BYTES (up to 1 MB) allows.
 */
export const PAGE_DATA_BUDGET_BYTES = 1_048_576;
// Another replica may win a compare-and-set between our read and write; retry a merge a few times.
const MAX_WRITE_ATTEMPTS = 3;
/** TouchSessions takes at most this many ids: one bounded batch of store calls per request. */
export const MAX_TOUCH_BATCH = 1_000;

function checkUserId(userId: string): string {
  if (userId.length === 0 || userId.length > USER_ID_MAX_LENGTH || /\p{Cc}/u.test(userId)) {
    throw new BadRequestError(`user_id must be 1 to ${USER_ID_MAX_LENGTH} printable characters`);
  }
  return userId;
}

function checkSessionId(sessionId: string): string {
  if (!isSessionId(sessionId)) throw new BadRequestError('session_id must be a UUID v4');
  return sessionId;
}

/**
 * The session rules: minting, token checks, expiry, data updates, binding and
 * revocation. Storage comes in through the SessionStore port, time through the clock; the store
 * enforces each call's deadline before every database call, so the rules need not check it. Every
 * write that can change a validation is reported to the ChangePublisher once the store acknowledged
 * it, before the method returns (creation is not: nobody can have cached a session not yet issued).
 */
export class SessionService {
  private readonly pendingTouches = new Map<string, Promise<SessionRecord | null>>();

  constructor(
    private readonly repository: SessionStore,
    private readonly config: SessionPolicy,
    private readonly clock: Clock,
    private readonly changes: ChangePublisher,
    private readonly lock = new KeyedLock(),
  ) {}

  async create(userData: JsonObject | null, ctx: CallContext, device: DeviceInput | null = null): Promise<IssuedSession> {
    // A new session is anonymous: it gets the anonymous cap.
    const data = validateUserData(userData ?? {}, this.config.anonymousUserDataMaxBytes);
    const stored = deviceToStore(device, this.config.deviceAddressStorage);
    const minted = mintToken();
    const now = this.clock.now();
    const record: SessionRecord = {
      sessionId: minted.sessionId,
      secretHash: minted.secretHash,
      userId: null,
      userData: data,
      version: 0,
      createdAt: now,
      updatedAt: now,
      lastSeenAt: now,
      ...initialExpiry(now, this.config),
      revokedAt: null,
      ...NOT_SIGNED_IN,
      device: stored,
    };
    await this.repository.insert(record, ctx);
    return { token: minted.token, session: withoutSecret(record) };
  }

  /**
   * Token -> live session; with `extend`, slides the idle expiry (written at most once per touch
   * interval). With `maxAuthenticationAgeMs`, a session not signed in within that time is refused
   * (ReauthenticationRequiredError) before anything is written.
   */
  async validate(token: string, extend: boolean, ctx: CallContext, maxAuthenticationAgeMs?: number): Promise<Session> {
    if (maxAuthenticationAgeMs !== undefined && !(Number.isFinite(maxAuthenticationAgeMs) && maxAuthenticationAgeMs >= 0)) {
      throw new BadRequestError('max_authentication_age must not be negative');
    }
    const record = await this.authenticate(token, ctx);
    const now = this.clock.now();
    if (maxAuthenticationAgeMs !== undefined && !authenticatedWithin(record, now, maxAuthenticationAgeMs))
      throw new ReauthenticationRequiredError();
    if (!extend || !touchIsDue(record.lastSeenAt, now, this.config)) return withoutSecret(record);
    const touched = await this.touchOnce(record, now, ctx);
    // Nothing matched: another replica touched it first, or it was revoked or swept meanwhile.
    return withoutSecret(touched ?? (await this.authenticate(token, ctx)));
  }

  /** Concurrent validations of one session that all find a touch due share a single write. */
  private touchOnce(record: SessionRecord, now: Date, ctx: CallContext): Promise<SessionRecord | null> {
    const id = record.sessionId;
    let pending = this.pendingTouches.get(id);
    if (!pending) {
      const threshold = new Date(now.getTime() - this.config.touchIntervalMs);
      const expiry = extendedExpiry(record.absoluteExpiresAt, now, this.config);
      pending = this.lock
        .run(id, () => this.repository.extendIdleExpiry(id, now, expiry, threshold, ctx))
        .then((touched) => this.extended(touched))
        .finally(() => this.pendingTouches.delete(id));
      this.pendingTouches.set(id, pending);
    }
    return pending;
  }

  async touch(token: string, ctx: CallContext): Promise<Session> {
    const { sessionId } = parseToken(token);
    return this.lock.run(sessionId, async () => {
      const record = await this.authenticate(token, ctx);
      const now = this.clock.now();
      const touched = this.extended(
        await this.repository.extendIdleExpiry(sessionId, now, extendedExpiry(record.absoluteExpiresAt, now, this.config), undefined, ctx),
      );
      return withoutSecret(touched ?? (await this.authenticate(token, ctx)));
    });
  }

  /**
   * Activity reported by near caches (TouchSessions): slides the idle expiry of each listed live
   * session not written within the touch interval, as a validation with extend would. Returns how
   * many moved. Malformed or too many ids are refused before anything is written.
   */
  async touchMany(sessionIds: readonly string[], ctx: CallContext): Promise<number> {
    if (sessionIds.length > MAX_TOUCH_BATCH) throw new BadRequestError(`session_ids holds at most ${MAX_TOUCH_BATCH} ids`);
    const bad = sessionIds.findIndex((id) => !isSessionId(id));
    if (bad >= 0) throw new BadRequestError(`session_ids[${bad}] is not a UUID v4 session id`);
    if (sessionIds.length === 0) return 0;
    const now = this.clock.now();
    const threshold = new Date(now.getTime() - this.config.touchIntervalMs);
    const idleExpiresAt = new Date(now.getTime() + this.config.idleTtlMs);
    const moved = await this.repository.extendDueIdleExpiries([...new Set(sessionIds)], now, idleExpiresAt, threshold, ctx);
    for (const m of moved)
      this.changes.publish({ kind: 'extended', sessionId: m.sessionId, userId: m.userId, idleExpiresAt: m.idleExpiresAt });
    return moved.length;
  }

  /** Admin lookup by public id: revoked sessions stay visible until swept, expired ones are gone. */
  async get(sessionId: string, ctx: CallContext): Promise<Session> {
    checkSessionId(sessionId);
    const record = await this.repository.findById(sessionId, ctx);
    if (!record || sessionState(record, this.clock.now()) === 'expired') throw new SessionIdNotFoundError();
    return withoutSecret(record);
  }

  async updateData(token: string, update: DataUpdate, ctx: CallContext): Promise<Session> {
    const { sessionId } = parseToken(token);
    // Reject bad input before waiting for the lock or touching the database.
    const incoming = update.mode === 'replace' ? validateUserData(update.userData, this.config.userDataMaxBytes) : update.userData;
    return this.lock.run(sessionId, async () => {
      for (let attempt = 1; ; attempt++) {
        const record = await this.authenticate(token, ctx);
        if (update.expectedVersion !== undefined && update.expectedVersion !== record.version) throw new VersionConflictError();
        const merged = update.mode === 'replace' ? incoming : applyMergePatch(record.userData, incoming);
        const next = validateUserData(merged, this.userDataLimit(record));
        const now = this.clock.now();
        const written = await this.repository.writeDataIfVersion(
          sessionId,
          record.version,
          { base: record, userData: next, now, expiry: extendedExpiry(record.absoluteExpiresAt, now, this.config) },
          ctx,
        );
        if (written) {
          this.changes.publish({ kind: 'updated', sessionId, userId: written.userId, version: written.version });
          return withoutSecret(written);
        }
        // Lost a compare-and-set to another replica: with an expected version that is a conflict.
        if (update.expectedVersion !== undefined || attempt >= MAX_WRITE_ATTEMPTS) {
          await this.authenticate(token, ctx); // a revocation or expiry is the better answer when it happened
          throw new VersionConflictError();
        }
      }
    });
  }

  /**
   * Attaches a user and rotates the secret: the old token stops working at once. Records the
   * sign-in (authenticated_at = now, its method, device, claims, remember me and the expiry that
   * follows from it), then revokes the user's least recently seen sessions beyond SESSION_MAX_PER_USER.
   */
  async bindUser(token: string, userId: string, ctx: CallContext, signIn: SignIn = {}): Promise<BoundSession> {
    checkUserId(userId);
    const authenticationMethod = signIn.authenticationMethod ?? '';
    if (!AUTHENTICATION_METHOD.test(authenticationMethod))
      throw new BadRequestError('authentication_method must be at most 64 printable ASCII characters without spaces');
    const claims = validateClaims(signIn.claims ?? null, this.config.claimsMaxBytes);
    const device = deviceToStore(signIn.device ?? null, this.config.deviceAddressStorage);
    const rememberMe = signIn.rememberMe ?? false;
    const { sessionId } = parseToken(token);
    const issued = await this.lock.run(sessionId, async () => {
      const record = await this.authenticate(token, ctx);
      // A session carries one user's data; switching users takes a new session.
      if (record.userId !== null && record.userId !== userId) throw new ForbiddenError('the session belongs to another user');
      const minted = mintSecret(sessionId);
      const now = this.clock.now();
      const absoluteExpiresAt = boundAbsoluteExpiry(record, rememberMe, now, this.config);
      const bound = await this.repository.bindUserIfUnchanged(
        record,
        {
          userId,
          secretHash: minted.secretHash,
          now,
          expiry: extendedExpiry(absoluteExpiresAt, now, this.config),
          claims,
          authenticationMethod,
          device,
          rememberMe,
        },
        ctx,
      );
      if (!bound) {
        await this.authenticate(token, ctx);
        throw new VersionConflictError();
      }
      this.changes.publish({ kind: 'rotated', sessionId, userId, version: bound.version });
      return { token: minted.token, session: withoutSecret(bound) };
    });
    // Outside this session's lock: eviction takes other sessions' locks, one at a time, never two.
    return { ...issued, ...(await this.evictBeyondLimit(userId, sessionId, ctx)) };
  }

  /**
   * Replaces a live session's claims by public id (trusted callers only); the version moves and the
   * feed reports UPDATED, so every near cache drops its copy. Gone, expired and revoked sessions
   * are all NOT_FOUND: there is no live session to give claims to.
   */
  async setClaims(sessionId: string, claims: JsonObject | null, ctx: CallContext): Promise<Session> {
    checkSessionId(sessionId);
    const next = validateClaims(claims, this.config.claimsMaxBytes);
    return this.lock.run(sessionId, async () => {
      for (let attempt = 1; ; attempt++) {
        const record = await this.repository.findById(sessionId, ctx);
        if (!record || sessionState(record, this.clock.now()) !== 'live') throw new SessionIdNotFoundError();
        const written = await this.repository.writeClaimsIfVersion({ base: record, claims: next, now: this.clock.now() }, ctx);
        if (written) {
          this.changes.publish({ kind: 'updated', sessionId, userId: written.userId, version: written.version });
          return withoutSecret(written);
        }
        // Another replica wrote the session between our read and write: read it again.
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new VersionConflictError();
      }
    });
  }

  /**
   * Keeps the user at SESSION_MAX_PER_USER live sessions: the session just bound, then the most
   * recently seen others (last_seen_at, then id), and revokes the rest. Each bind runs this after its
   * own write, so the last of concurrent binds to read sees every session bound before it, and
   * revokes down to the limit whatever the others revoked. A failure here leaves the bind done (its
   * token already rotated): the next bind of the user evicts again.
   */
  private async evictBeyondLimit(
    userId: string,
    keptSessionId: string,
    ctx: CallContext,
  ): Promise<{ evicted: string[]; evictionError?: unknown }> {
    const evicted: string[] = [];
    try {
      const ids = await this.repository.findLiveIdsByUser(userId, this.clock.now(), ctx);
      const others = ids.filter((id) => id !== keptSessionId);
      for (const id of others.slice(this.config.maxPerUser - 1)) {
        const revoked = await this.lock.run(id, () => this.repository.markRevoked(id, this.clock.now(), ctx));
        if (revoked) {
          evicted.push(id);
          this.changes.publish({ kind: 'revoked', sessionId: id, userId });
        }
      }
      return { evicted };
    } catch (evictionError) {
      return { evicted, evictionError };
    }
  }

  /** Ends the session the token belongs to; `revoked` is false when it had already ended. */
  async revokeByToken(token: string, ctx: CallContext): Promise<Revocation> {
    const { sessionId, secret } = parseToken(token);
    return this.lock.run(sessionId, async () => {
      const record = await this.findByToken(sessionId, secret, ctx);
      if (!record) throw new SessionNotFoundError();
      return this.revokeIfLive(record, ctx);
    });
  }

  /** Ends a session by public id; with `userId`, only when it belongs to that user (else NOT_FOUND). */
  async revokeById(sessionId: string, userId: string | null, ctx: CallContext): Promise<Revocation> {
    checkSessionId(sessionId);
    return this.lock.run(sessionId, async () => {
      const record = await this.repository.findById(sessionId, ctx);
      if (!record || (userId !== null && record.userId !== userId)) throw new SessionIdNotFoundError();
      return this.revokeIfLive(record, ctx);
    });
  }

  /** One page of the user's live sessions, newest first; a bad page size or token is INVALID_ARGUMENT. */
  async listForUser(userId: string, request: ListRequest, ctx: CallContext): Promise<ListedPage> {
    checkUserId(userId);
    const limit = checkPageSize(request.pageSize);
    const after = request.pageToken === '' ? undefined : decodePageToken(request.pageToken);
    const page = await this.repository.findLiveByUser(
      userId,
      this.clock.now(),
      { limit, after, withUserData: request.includeUserData },
      ctx,
    );
    const { sessions, more } = request.includeUserData ? withinDataBudget(page) : page;
    const last = sessions.at(-1);
    return { sessions, nextPageToken: more && last ? encodePageToken({ createdAt: last.createdAt, sessionId: last.sessionId }) : '' };
  }

  /** Revokes every live session of the user but `exceptSessionId`, each under its own lock. */
  async revokeAllForUser(userId: string, exceptSessionId: string | null, ctx: CallContext): Promise<string[]> {
    checkUserId(userId);
    if (exceptSessionId !== null) checkSessionId(exceptSessionId);
    const ids = await this.repository.findLiveIdsByUser(userId, this.clock.now(), ctx);
    const revoked: string[] = [];
    try {
      for (const id of ids) {
        if (id === exceptSessionId) continue;
        const done = await this.lock.run(id, () => this.repository.markRevoked(id, this.clock.now(), ctx));
        if (done) revoked.push(id);
      }
    } finally {
      // Also when the loop failed part-way (deadline, store down): those already revoked must be heard of.
      if (revoked.length > 0) this.changes.publish({ kind: 'user_revoked', userId, exceptSessionId });
    }
    return revoked;
  }

  /** An anonymous session may hold less than a signed-in one (see docs/anonymous-sessions.md). */
  private userDataLimit(record: SessionRecord): number {
    return record.userId === null ? this.config.anonymousUserDataMaxBytes : this.config.userDataMaxBytes;
  }

  private async revokeIfLive(record: SessionRecord, ctx: CallContext): Promise<Revocation> {
    const now = this.clock.now();
    const { sessionId } = record;
    if (sessionState(record, now) !== 'live') return { sessionId, revoked: false };
    const revoked = await this.repository.markRevoked(sessionId, now, ctx);
    if (revoked) this.changes.publish({ kind: 'revoked', sessionId, userId: record.userId });
    return { sessionId, revoked };
  }

  /** Reports a slid idle expiry (the write matched); passes the record through. */
  private extended(touched: SessionRecord | null): SessionRecord | null {
    if (touched)
      this.changes.publish({
        kind: 'extended',
        sessionId: touched.sessionId,
        userId: touched.userId,
        idleExpiresAt: touched.idleExpiresAt,
      });
    return touched;
  }

  /**
   * The lookup matches id and secret hash together, so an unknown id and a wrong secret cost the
   * same; the constant-time check after it keeps the secret check in this process too.
   */
  private async findByToken(sessionId: string, secret: string, ctx: CallContext): Promise<SessionRecord | null> {
    const record = await this.repository.findByToken(sessionId, hashSecret(secret), ctx);
    return record && secretMatches(secret, record.secretHash) ? record : null;
  }

  /** Shape check, lookup, constant-time secret check, then revocation and expiry, on every read. */
  private async authenticate(token: string, ctx: CallContext): Promise<SessionRecord> {
    const { sessionId, secret } = parseToken(token);
    const record = await this.findByToken(sessionId, secret, ctx);
    if (!record) throw new SessionNotFoundError();
    switch (sessionState(record, this.clock.now())) {
      case 'revoked':
        throw new SessionRevokedError();
      case 'expired':
        throw new SessionExpiredError();
      default:
        return record;
    }
  }
}

/** Signed in (bound with an authentication time) no longer than `maxAgeMs` ago. */
function authenticatedWithin(record: SessionRecord, now: Date, maxAgeMs: number): boolean {
  return record.userId !== null && record.authenticatedAt !== null && now.getTime() - record.authenticatedAt.getTime() <= maxAgeMs;
}

function checkPageSize(pageSize: number): number {
  if (pageSize === 0) return DEFAULT_PAGE_SIZE;
  // Refused rather than clamped: a caller learns the limit instead of silently getting fewer than it asked for.
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE_SIZE)
    throw new BadRequestError(`page_size must be 0 (for ${DEFAULT_PAGE_SIZE}) to ${MAX_PAGE_SIZE}`);
  return pageSize;
}

/** The leading sessions of a page whose user_data fits PAGE_DATA_BUDGET_BYTES (at least one); the rest go to the next page. */
function withinDataBudget(page: SessionPage): SessionPage {
  let bytes = 0;
  for (let i = 0; i < page.sessions.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(page.sessions[i].userData), 'utf8');
    if (bytes > PAGE_DATA_BUDGET_BYTES && i > 0) return { sessions: page.sessions.slice(0, i), more: true };
  }
  return page;
}
