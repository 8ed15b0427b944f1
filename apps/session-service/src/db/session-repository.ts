import { performance } from 'node:perf_hooks';
import { MongoServerError, type Collection, type Db, type Filter } from 'mongodb';
import { within } from '../async/within';
import type { CallContext } from '../domain/call-context';
import { DeadlineExceededError, ServiceUnavailableError, SessionStoreTimeoutError } from '../domain/errors';
import type { ExpiryTimes } from '../domain/expiry';
import { withoutSecret, type SessionRecord } from '../domain/session';
import type {
  ClaimsChange,
  DataChange,
  ExtendedSession,
  PageRequest,
  SessionPage,
  SessionStore,
  UserBinding,
} from '../domain/session-store';
import type { SweepKind, SweepStore } from '../domain/sweep-store';
import type { DbObserver } from '../observability/db-observer';
import { classifyDriverError } from './driver-errors';
import { fromDocument, toDocument, toNewDocument, type SessionDocument } from './session-document';

export const SESSIONS_COLLECTION = 'user_sessions';

export interface SessionRepositoryOptions {
  /** Upper bound on each operation (server-side maxTimeMS and the client-side wait), whatever the call's deadline. */
  readonly maxTimeMs?: number;
  /** True while the database is known to be unreachable (the health monitor's last ping failed): operations fail at once. */
  readonly isDatabaseDown?: () => boolean;
  /**
   * Extra time the TTL index waits after expires_at, so the server never
   * deletes a document between a read and a touch; reads check expiry themselves.
   */
  readonly ttlGraceSeconds?: number;
  readonly observer?: DbObserver;
}

export interface IndexReport {
  /** False when the server refused a TTL index (FerretDB 1.x): the sweeper does all the cleanup then. */
  readonly ttl: boolean;
  readonly ttlError?: string;
}

const NO_SECRET = { secret_hash: 0 } as const;
const NO_SECRET_NO_DATA = { secret_hash: 0, user_data: 0 } as const;
/**
 * Index builds run at start-up only, on a collection that may hold millions of sessions (MongoDB
 * builds in the background of the command): far longer than any call's budget, still not unbounded.
 */
const INDEX_BUILD_MAX_MS = 120_000;
/** A use of the session has been recorded: it is no longer an orphan candidate. */
const USED = { unused_since: '' } as const;

/**
 * The one class that talks to `user_sessions`. Every write is an update with
 * conditions (never an upsert), so a revoked or swept session cannot come back
 * through a write that was in flight. Driver errors never leave it: each
 * operation fails with a domain error (see `timed`).
 */
export class SessionRepository implements SessionStore, SweepStore {
  private readonly collection: Collection<SessionDocument>;
  private readonly maxTimeMS: number;
  private readonly ttlGraceSeconds: number;
  private readonly observer?: DbObserver;
  private readonly isDatabaseDown: () => boolean;

  constructor(db: Db, options: SessionRepositoryOptions = {}) {
    // js-bson looks names up in `fieldsAsRaw` with a plain `[]`, and the driver's default is `{}`: a
    // user_data key such as "valueOf" holding an array would come back as raw bytes. No prototype, no lookup hit.
    this.collection = db.collection<SessionDocument>(SESSIONS_COLLECTION, { fieldsAsRaw: Object.create(null) });
    this.maxTimeMS = options.maxTimeMs ?? 5_000;
    this.ttlGraceSeconds = options.ttlGraceSeconds ?? 3_600;
    this.observer = options.observer;
    this.isDatabaseDown = options.isDatabaseDown ?? (() => false);
  }

  async ensureIndexes(): Promise<IndexReport> {
    const index = (
      key: Record<string, 1 | -1>,
      options: { name: string; unique?: boolean; sparse?: boolean; expireAfterSeconds?: number },
    ) =>
      this.measured(`create_index_${options.name}`, INDEX_BUILD_MAX_MS, (maxTimeMS) =>
        this.collection.createIndex(key, { ...options, maxTimeMS }),
      );
    await index({ session_id: 1 }, { unique: true, name: 'session_id_unique' });
    await index({ user_id: 1 }, { name: 'user_id' });
    // The paged list: equality on the user, then its sort order, so a page reads only its own entries.
    await index({ user_id: 1, created_at: -1, _id: -1 }, { name: 'user_id_created_at' });
    // The per-user limit: a user's sessions, most recently seen first, for the eviction after a bind.
    await index({ user_id: 1, last_seen_at: -1, _id: -1 }, { name: 'user_id_last_seen_at' });
    // The orphan sweep; sparse, so it holds only the sessions nobody has used yet.
    await index({ unused_since: 1 }, { name: 'unused_since', sparse: true });
    try {
      await index({ expires_at: 1 }, { name: 'expires_at', expireAfterSeconds: this.ttlGraceSeconds });
      return { ttl: true };
    } catch (err) {
      if (!(err instanceof MongoServerError)) throw err;
      // Refused as unsupported (FerretDB), or an expires_at index with other options exists: keep that one.
      const indexes = await this.measured('list_indexes', this.maxTimeMS, (maxTimeMS) =>
        this.collection.listIndexes({ maxTimeMS }).toArray(),
      );
      const existing = indexes.find((i) => i.key?.expires_at === 1);
      if (existing) return { ttl: existing.expireAfterSeconds !== undefined, ttlError: err.message };
      await index({ expires_at: 1 }, { name: 'expires_at' });
      return { ttl: false, ttlError: err.message };
    }
  }

  /** Not through `timed`: the health monitor pings while the database is down, and bounds each ping itself. */
  async ping(): Promise<void> {
    await this.collection.db.command({ ping: 1 });
  }

  async insert(record: SessionRecord, ctx: CallContext): Promise<void> {
    await this.timed('insert', ctx, (maxTimeMS) => this.collection.insertOne(toNewDocument(record), { maxTimeMS }));
  }

  /** Admin lookups by public id; token checks use findByToken. */
  async findById(sessionId: string, ctx: CallContext): Promise<SessionRecord | null> {
    const doc = await this.timed('find_by_id', ctx, (maxTimeMS) => this.collection.findOne({ _id: sessionId }, { maxTimeMS }));
    return doc ? fromDocument(doc) : null;
  }

  /**
   * The session whose id and secret hash both match; null for an unknown id and a wrong secret
   * alike. The database compares the hash, so neither case sends or decodes a document: a wrong
   * secret costs what an unknown id costs (one lookup by _id), and timing cannot tell them apart.
   */
  async findByToken(sessionId: string, secretHash: string, ctx: CallContext): Promise<SessionRecord | null> {
    const doc = await this.timed('find_by_token', ctx, (maxTimeMS) =>
      this.collection.findOne({ _id: sessionId, secret_hash: secretHash }, { maxTimeMS }),
    );
    return doc ? fromDocument(doc) : null;
  }

  /**
   * Slides the idle expiry of a live session. With `onlyIfLastSeenBefore`, only
   * a session not written since then is touched, so concurrent validations of
   * one session write once. Null when nothing matched.
   */
  async extendIdleExpiry(
    sessionId: string,
    now: Date,
    expiry: ExpiryTimes,
    onlyIfLastSeenBefore: Date | undefined,
    ctx: CallContext,
  ): Promise<SessionRecord | null> {
    const filter: Filter<SessionDocument> = { _id: sessionId, revoked_at: null, expires_at: { $gt: now } };
    if (onlyIfLastSeenBefore) filter.last_seen_at = { $lte: onlyIfLastSeenBefore };
    return this.updateOne(
      'extend_idle_expiry',
      filter,
      { $set: { last_seen_at: now, idle_expires_at: expiry.idleExpiresAt, expires_at: expiry.expiresAt }, $unset: USED },
      ctx,
    );
  }

  /**
   * Batched touch in as few calls as FerretDB allows: it has neither pipeline updates (to cap
   * expires_at per document) nor ids of what an updateMany changed. So: one find of the due sessions
   * (with their absolute expiry), one updateMany for those whose absolute expiry is past the new idle
   * one, a conditional update each for the rare rest (their expires_at is their own absolute expiry),
   * and, only when the updateMany changed fewer than it was given (another writer got there first),
   * one find of which of them carry this call's last_seen_at. Every call keeps the due conditions,
   * so a session revoked or written meanwhile is left alone.
   */
  async extendDueIdleExpiries(
    sessionIds: readonly string[],
    now: Date,
    idleExpiresAt: Date,
    onlyIfLastSeenBefore: Date,
    ctx: CallContext,
  ): Promise<ExtendedSession[]> {
    const due = (ids: readonly string[]): Filter<SessionDocument> => ({
      _id: { $in: [...ids] },
      revoked_at: null,
      expires_at: { $gt: now },
      last_seen_at: { $lte: onlyIfLastSeenBefore },
    });
    const candidates = await this.timed('find_due_touches', ctx, (maxTimeMS) =>
      this.collection.find(due(sessionIds), { projection: { _id: 1, user_id: 1, absolute_expires_at: 1 }, maxTimeMS }).toArray(),
    );
    const capped = candidates.filter((c) => c.absolute_expires_at.getTime() < idleExpiresAt.getTime());
    const uncapped = candidates.filter((c) => c.absolute_expires_at.getTime() >= idleExpiresAt.getTime()).map((c) => c._id);
    const moved = new Set<string>();
    if (uncapped.length > 0) {
      const set = { last_seen_at: now, idle_expires_at: idleExpiresAt, expires_at: idleExpiresAt };
      const result = await this.timed('touch_many', ctx, (maxTimeMS) =>
        this.collection.updateMany(due(uncapped), { $set: set, $unset: USED }, { maxTimeMS }),
      );
      const changed =
        result.modifiedCount === uncapped.length
          ? uncapped
          : (
              await this.timed('find_touched', ctx, (maxTimeMS) =>
                this.collection
                  .find(
                    { _id: { $in: uncapped }, last_seen_at: now, idle_expires_at: idleExpiresAt },
                    { projection: { _id: 1 }, maxTimeMS },
                  )
                  .toArray(),
              )
            ).map((d) => d._id);
      for (const id of changed) moved.add(id);
    }
    for (const c of capped) {
      const set = { last_seen_at: now, idle_expires_at: idleExpiresAt, expires_at: c.absolute_expires_at };
      const result = await this.timed('touch_capped', ctx, (maxTimeMS) =>
        this.collection.updateOne(due([c._id]), { $set: set, $unset: USED }, { maxTimeMS }),
      );
      if (result.modifiedCount === 1) moved.add(c._id);
    }
    return candidates.filter((c) => moved.has(c._id)).map((c) => ({ sessionId: c._id, userId: c.user_id, idleExpiresAt }));
  }

  /**
   * Writes new user_data if the session is still at `expectedVersion` and not revoked; null otherwise.
   * A whole-document replace rather than `$set: {user_data}`: FerretDB 1.24 skips a `$set` of an
   * embedded object whose values equal the old ones in order, whatever the keys ({a:1} -> {b:1} is
   * lost while the version still moves). The filter keeps it conditional and it never upserts.
   */
  async writeDataIfVersion(
    sessionId: string,
    expectedVersion: number,
    change: DataChange,
    ctx: CallContext,
  ): Promise<SessionRecord | null> {
    const next = toDocument({
      ...change.base,
      userData: change.userData,
      version: expectedVersion + 1,
      updatedAt: change.now,
      lastSeenAt: change.now,
      idleExpiresAt: change.expiry.idleExpiresAt,
      expiresAt: change.expiry.expiresAt,
    });
    return this.replaceOne('write_data', { _id: sessionId, version: expectedVersion, revoked_at: null }, next, ctx);
  }

  /**
   * Sets the user, the new secret hash and the sign-in's details if neither the version nor the old
   * hash moved; null otherwise. A whole-document replace, as writeDataIfVersion, for the claims
   * object's sake; the replacement has no unused_since, so a bound session is no orphan.
   */
  async bindUserIfUnchanged(base: SessionRecord, binding: UserBinding, ctx: CallContext): Promise<SessionRecord | null> {
    const next = toDocument({
      ...base,
      userId: binding.userId,
      secretHash: binding.secretHash,
      version: base.version + 1,
      updatedAt: binding.now,
      lastSeenAt: binding.now,
      ...binding.expiry,
      claims: binding.claims,
      authenticatedAt: binding.now,
      authenticationMethod: binding.authenticationMethod,
      device: binding.device ?? base.device,
      rememberMe: binding.rememberMe,
    });
    return this.replaceOne(
      'bind_user',
      { _id: base.sessionId, version: base.version, secret_hash: base.secretHash, revoked_at: null },
      next,
      ctx,
    );
  }

  /** Replaces the claims if the session is still at the base's version and not revoked; whole-document, as writeDataIfVersion. */
  async writeClaimsIfVersion(change: ClaimsChange, ctx: CallContext): Promise<SessionRecord | null> {
    const { base } = change;
    const next = toDocument({ ...base, claims: change.claims, version: base.version + 1, updatedAt: change.now });
    return this.replaceOne('write_claims', { _id: base.sessionId, version: base.version, revoked_at: null }, next, ctx);
  }

  /** True when this call revoked the session; false when it was already revoked or is gone. */
  async markRevoked(sessionId: string, now: Date, ctx: CallContext): Promise<boolean> {
    const result = await this.timed('mark_revoked', ctx, (maxTimeMS) =>
      this.collection.updateOne({ _id: sessionId, revoked_at: null }, { $set: { revoked_at: now, updated_at: now } }, { maxTimeMS }),
    );
    return result.modifiedCount === 1;
  }

  /**
   * One page of a user's sessions that are neither revoked nor expired, newest first (created_at,
   * then id, both descending: a total order, so pages neither skip nor repeat), without secret hashes.
   */
  async findLiveByUser(userId: string, now: Date, page: PageRequest, ctx: CallContext): Promise<SessionPage> {
    const filter: Filter<SessionDocument> = { user_id: userId, revoked_at: null, expires_at: { $gt: now } };
    if (page.after) {
      const { createdAt, sessionId } = page.after;
      filter.$or = [{ created_at: { $lt: createdAt } }, { created_at: createdAt, _id: { $lt: sessionId } }];
    }
    const projection = page.withUserData ? NO_SECRET : NO_SECRET_NO_DATA;
    // One more than asked tells whether another page follows, without a count.
    const docs = await this.timed('find_live_by_user', ctx, (maxTimeMS) =>
      this.collection
        .find(filter, { projection, maxTimeMS })
        .sort({ created_at: -1, _id: -1 })
        .limit(page.limit + 1)
        .toArray(),
    );
    const sessions = docs.slice(0, page.limit).map((doc) => withoutSecret(fromDocument({ ...doc, user_data: doc.user_data ?? {} })));
    return { sessions, more: docs.length > page.limit };
  }

  async findLiveIdsByUser(userId: string, now: Date, ctx: CallContext): Promise<string[]> {
    const docs = await this.timed('find_live_ids_by_user', ctx, (maxTimeMS) =>
      this.collection
        .find({ user_id: userId, revoked_at: null, expires_at: { $gt: now } }, { projection: { _id: 1 }, maxTimeMS })
        .sort({ last_seen_at: -1, _id: -1 })
        .toArray(),
    );
    return docs.map((d) => d._id);
  }

  /** Up to `limit` ids of sessions removable under `kind`, judged against `cutoff`. */
  async findSweepableIds(kind: SweepKind, cutoff: Date, limit: number, ctx: CallContext): Promise<string[]> {
    const docs = await this.timed(`find_sweepable_${kind}`, ctx, (maxTimeMS) =>
      this.collection
        .find(sweepFilter(kind, cutoff), { projection: { _id: 1 }, maxTimeMS })
        .limit(limit)
        .toArray(),
    );
    return docs.map((d) => d._id);
  }

  /**
   * Deletes those of `ids` that still match the rule (a session touched meanwhile stays) and returns
   * the ids now gone. deleteMany does not say which it deleted: when it deleted fewer than given, one
   * find of the survivors tells (an id another replica's sweeper took is gone too, and reported so).
   */
  async deleteSweepable(kind: SweepKind, cutoff: Date, ids: string[], ctx: CallContext): Promise<string[]> {
    const result = await this.timed(`delete_sweepable_${kind}`, ctx, (maxTimeMS) =>
      this.collection.deleteMany({ ...sweepFilter(kind, cutoff), _id: { $in: ids } }, { maxTimeMS }),
    );
    if (result.deletedCount === ids.length) return ids;
    const kept = await this.timed(`find_sweep_survivors_${kind}`, ctx, (maxTimeMS) =>
      this.collection.find({ _id: { $in: ids } }, { projection: { _id: 1 }, maxTimeMS }).toArray(),
    );
    const survivors = new Set(kept.map((d) => d._id));
    return ids.filter((id) => !survivors.has(id));
  }

  private async replaceOne(
    operation: string,
    filter: Filter<SessionDocument>,
    next: SessionDocument,
    ctx: CallContext,
  ): Promise<SessionRecord | null> {
    const doc = await this.timed(operation, ctx, (maxTimeMS) =>
      this.collection.findOneAndReplace(filter, next, { returnDocument: 'after', upsert: false, maxTimeMS }),
    );
    return doc ? fromDocument(doc) : null;
  }

  private async updateOne(
    operation: string,
    filter: Filter<SessionDocument>,
    update: object,
    ctx: CallContext,
  ): Promise<SessionRecord | null> {
    const doc = await this.timed(operation, ctx, (maxTimeMS) =>
      this.collection.findOneAndUpdate(filter, update, { returnDocument: 'after', upsert: false, maxTimeMS }),
    );
    return doc ? fromDocument(doc) : null;
  }

  /**
   * The one place a call's deadline is enforced. Runs one operation within a time budget: the time
   * left until `ctx.deadline` (which the transport has already shortened by its answer margin), and
   * never more than maxTimeMs; none left means the operation is not even sent. Why: the caller (the
   * gateway: 2 s) gives up at its deadline and answers 504 on its own, so when the database does not
   * answer, this service must say UNAVAILABLE before that happens. The driver cannot be told so per
   * operation (timeoutMS has no effect in driver 7; maxTimeMS only bounds work on a server that
   * answers, serverSelectionTimeoutMS is one global value), hence the client-side race. The abandoned
   * operation finishes or fails on its own; a write may still land, as with any timeout, and every
   * write is conditional. While the health monitor knows the database is down, nothing is attempted:
   * waiting could only end in a timeout. Driver errors become domain errors here (driver-errors.ts),
   * keeping the driver's own as `cause` for the logs.
   */
  private async timed<T>(operation: string, ctx: CallContext, work: (maxTimeMS: number) => Promise<T>): Promise<T> {
    const left = ctx.deadline - Date.now();
    if (left <= 0) throw new DeadlineExceededError();
    if (this.isDatabaseDown()) throw new ServiceUnavailableError();
    const budget = Math.max(1, Math.floor(Math.min(this.maxTimeMS, left)));
    try {
      return await this.measured(operation, budget, (maxTimeMS) =>
        within(work(maxTimeMS), maxTimeMS, () => new SessionStoreTimeoutError()),
      );
    } catch (err) {
      throw classifyDriverError(err) ?? err;
    }
  }

  /** Runs one operation with a server-side time limit and reports how long it took. */
  private async measured<T>(operation: string, maxTimeMS: number, work: (maxTimeMS: number) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work(maxTimeMS);
    } finally {
      this.observer?.observeDbOperation(operation, (performance.now() - started) / 1_000);
    }
  }
}

function sweepFilter(kind: SweepKind, cutoff: Date): Filter<SessionDocument> {
  switch (kind) {
    case 'expired':
      return { expires_at: { $lt: cutoff } };
    case 'revoked':
      return { revoked_at: { $lt: cutoff } };
    case 'orphan':
      // Anonymous and unused since it was created, before the cutoff, whatever its data: a create
      // costs one request, so nothing may keep such a session for its full idle timeout.
      return { unused_since: { $lt: cutoff }, user_id: null, revoked_at: null };
  }
}
