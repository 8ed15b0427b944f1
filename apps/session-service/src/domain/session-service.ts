import type { SessionServiceConfig } from '@session/config';
import type { JsonObject } from '@session/proto';
import type { SessionRepository } from '../db/session-repository';
import { assertBeforeDeadline, NO_DEADLINE, type CallContext } from './call-context';
import type { Clock } from './clock';
import { BadRequestError, ForbiddenError, SessionExpiredError, SessionIdNotFoundError, SessionNotFoundError, SessionRevokedError, VersionConflictError } from './errors';
import { extendedExpiry, initialExpiry, sessionState, touchIsDue } from './expiry';
import { KeyedLock } from './keyed-lock';
import { applyMergePatch } from './merge-patch';
import { withoutSecret, type Session, type SessionRecord, type UpdateMode } from './session';
import { isSessionId, mintSecret, mintToken, parseToken, secretMatches } from './token';
import { validateUserData } from './user-data';

export type SessionPolicy = SessionServiceConfig['session'];

export interface IssuedSession {
  readonly token: string;
  readonly session: Session;
}

export interface Revocation {
  readonly sessionId: string;
  readonly revoked: boolean;
}

export interface DataUpdate {
  readonly userData: JsonObject;
  readonly mode: UpdateMode;
  readonly expectedVersion?: number;
}

const USER_ID_MAX_LENGTH = 256;
// Another replica may win a compare-and-set between our read and write; retry a merge a few times.
const MAX_WRITE_ATTEMPTS = 3;

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
 * revocation. Storage comes in through the repository, time through the clock.
 */
export class SessionService {
  private readonly pendingTouches = new Map<string, Promise<SessionRecord | null>>();

  constructor(
    private readonly repository: SessionRepository,
    private readonly config: SessionPolicy,
    private readonly clock: Clock,
    private readonly lock = new KeyedLock(),
  ) {}

  async create(userData: JsonObject | null, ctx: CallContext = NO_DEADLINE): Promise<IssuedSession> {
    const data = validateUserData(userData ?? {}, this.config.userDataMaxBytes);
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
    };
    assertBeforeDeadline(ctx);
    await this.repository.insert(record, ctx);
    return { token: minted.token, session: withoutSecret(record) };
  }

  /** Token -> live session; with `extend`, slides the idle expiry (written at most once per touch interval). */
  async validate(token: string, extend: boolean, ctx: CallContext = NO_DEADLINE): Promise<Session> {
    const record = await this.authenticate(token, ctx);
    const now = this.clock.now();
    if (!extend || !touchIsDue(record.lastSeenAt, now, this.config)) return withoutSecret(record);
    assertBeforeDeadline(ctx);
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
      pending = this.lock.run(id, () => this.repository.extendIdleExpiry(id, now, expiry, threshold, ctx)).finally(() => this.pendingTouches.delete(id));
      this.pendingTouches.set(id, pending);
    }
    return pending;
  }

  async touch(token: string, ctx: CallContext = NO_DEADLINE): Promise<Session> {
    const { sessionId } = parseToken(token);
    return this.lock.run(sessionId, async () => {
      const record = await this.authenticate(token, ctx);
      const now = this.clock.now();
      assertBeforeDeadline(ctx);
      const touched = await this.repository.extendIdleExpiry(sessionId, now, extendedExpiry(record.absoluteExpiresAt, now, this.config), undefined, ctx);
      return withoutSecret(touched ?? (await this.authenticate(token, ctx)));
    });
  }

  /** Admin lookup by public id: revoked sessions stay visible until swept, expired ones are gone. */
  async get(sessionId: string, ctx: CallContext = NO_DEADLINE): Promise<Session> {
    checkSessionId(sessionId);
    assertBeforeDeadline(ctx);
    const record = await this.repository.findById(sessionId, ctx);
    if (!record || sessionState(record, this.clock.now()) === 'expired') throw new SessionIdNotFoundError();
    return withoutSecret(record);
  }

  async updateData(token: string, update: DataUpdate, ctx: CallContext = NO_DEADLINE): Promise<Session> {
    const { sessionId } = parseToken(token);
    // Reject bad input before waiting for the lock or touching the database.
    const incoming = update.mode === 'replace' ? validateUserData(update.userData, this.config.userDataMaxBytes) : update.userData;
    return this.lock.run(sessionId, async () => {
      for (let attempt = 1; ; attempt++) {
        const record = await this.authenticate(token, ctx);
        if (update.expectedVersion !== undefined && update.expectedVersion !== record.version) throw new VersionConflictError();
        const next = update.mode === 'replace' ? incoming : validateUserData(applyMergePatch(record.userData, incoming), this.config.userDataMaxBytes);
        const now = this.clock.now();
        assertBeforeDeadline(ctx);
        const written = await this.repository.writeDataIfVersion(
          sessionId,
          record.version,
          { base: record, userData: next, now, expiry: extendedExpiry(record.absoluteExpiresAt, now, this.config) },
          ctx,
        );
        if (written) return withoutSecret(written);
        // Lost a compare-and-set to another replica: with an expected version that is a conflict.
        if (update.expectedVersion !== undefined || attempt >= MAX_WRITE_ATTEMPTS) {
          await this.authenticate(token, ctx); // a revocation or expiry is the better answer when it happened
          throw new VersionConflictError();
        }
      }
    });
  }

  /** Attaches a user and rotates the secret: the old token stops working at once. */
  async bindUser(token: string, userId: string, ctx: CallContext = NO_DEADLINE): Promise<IssuedSession> {
    checkUserId(userId);
    const { sessionId } = parseToken(token);
    return this.lock.run(sessionId, async () => {
      const record = await this.authenticate(token, ctx);
      // A session carries one user's data; switching users takes a new session.
      if (record.userId !== null && record.userId !== userId) throw new ForbiddenError('the session belongs to another user');
      const minted = mintSecret(sessionId);
      const now = this.clock.now();
      assertBeforeDeadline(ctx);
      const bound = await this.repository.bindUserIfUnchanged(
        sessionId,
        { version: record.version, secretHash: record.secretHash },
        { userId, secretHash: minted.secretHash, now, expiry: extendedExpiry(record.absoluteExpiresAt, now, this.config) },
        ctx,
      );
      if (!bound) {
        await this.authenticate(token, ctx);
        throw new VersionConflictError();
      }
      return { token: minted.token, session: withoutSecret(bound) };
    });
  }

  /** Ends the session the token belongs to; `revoked` is false when it had already ended. */
  async revokeByToken(token: string, ctx: CallContext = NO_DEADLINE): Promise<Revocation> {
    const { sessionId, secret } = parseToken(token);
    return this.lock.run(sessionId, async () => {
      assertBeforeDeadline(ctx);
      const record = await this.repository.findById(sessionId, ctx);
      if (!record || !secretMatches(secret, record.secretHash)) throw new SessionNotFoundError();
      return this.revokeIfLive(record, ctx);
    });
  }

  /** Ends a session by public id; with `userId`, only when it belongs to that user (else NOT_FOUND). */
  async revokeById(sessionId: string, userId: string | null, ctx: CallContext = NO_DEADLINE): Promise<Revocation> {
    checkSessionId(sessionId);
    return this.lock.run(sessionId, async () => {
      assertBeforeDeadline(ctx);
      const record = await this.repository.findById(sessionId, ctx);
      if (!record || (userId !== null && record.userId !== userId)) throw new SessionIdNotFoundError();
      return this.revokeIfLive(record, ctx);
    });
  }

  async listForUser(userId: string, ctx: CallContext = NO_DEADLINE): Promise<Session[]> {
    checkUserId(userId);
    assertBeforeDeadline(ctx);
    return this.repository.findLiveByUser(userId, this.clock.now(), ctx);
  }

  /** Revokes every live session of the user but `exceptSessionId`, each under its own lock. */
  async revokeAllForUser(userId: string, exceptSessionId: string | null, ctx: CallContext = NO_DEADLINE): Promise<string[]> {
    checkUserId(userId);
    if (exceptSessionId !== null) checkSessionId(exceptSessionId);
    assertBeforeDeadline(ctx);
    const ids = await this.repository.findLiveIdsByUser(userId, this.clock.now(), ctx);
    const revoked: string[] = [];
    for (const id of ids) {
      if (id === exceptSessionId) continue;
      const done = await this.lock.run(id, async () => {
        assertBeforeDeadline(ctx);
        return this.repository.markRevoked(id, this.clock.now(), ctx);
      });
      if (done) revoked.push(id);
    }
    return revoked;
  }

  private async revokeIfLive(record: SessionRecord, ctx: CallContext): Promise<Revocation> {
    const now = this.clock.now();
    const { sessionId } = record;
    if (sessionState(record, now) !== 'live') return { sessionId, revoked: false };
    assertBeforeDeadline(ctx);
    return { sessionId, revoked: await this.repository.markRevoked(sessionId, now, ctx) };
  }

  /** Shape check, lookup, constant-time secret check, then revocation and expiry, on every read. */
  private async authenticate(token: string, ctx: CallContext): Promise<SessionRecord> {
    const { sessionId, secret } = parseToken(token);
    assertBeforeDeadline(ctx);
    const record = await this.repository.findById(sessionId, ctx);
    if (!record || !secretMatches(secret, record.secretHash)) throw new SessionNotFoundError();
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
