import { loadSessionServiceConfig } from '@session/config';
import { ManualClock } from '../testing/manual-clock';
import { NO_DEADLINE, type CallContext } from './call-context';
import { BadRequestError, InvalidTokenError, InvalidUserDataError, PayloadTooLargeError } from './errors';
import { encodePageToken } from './page-token';
import { NO_CHANGE_FEED } from './change-publisher';
import { SessionService } from './session-service';
import type { SessionStore } from './session-store';

/** What the store below answers to any call: which method was asked, with which call context. */
class StoreReached extends Error {
  override readonly name = 'StoreReached';
  constructor(
    readonly method: string,
    readonly ctx: unknown,
  ) {
    super(`the store was asked for ${method}`);
  }
}
// A store that answers every call with StoreReached: the checks must all run before it, and the call's context must reach it.
const refusing = new Proxy({} as SessionStore, {
  get:
    (_target, method) =>
    (...args: unknown[]) =>
      Promise.reject(new StoreReached(String(method), args.at(-1))),
});
const service = new SessionService(refusing, loadSessionServiceConfig({}).session, new ManualClock(), NO_CHANGE_FEED);
// Input that passes every check gets as far as the store, with the caller's context (the store enforces its deadline).
const ctx: CallContext = { requestId: 'checked', deadline: 12_345 };
const reachedStore = { name: 'StoreReached', ctx };

const ID = '2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11';
const TOKEN = `${ID}.${'A'.repeat(43)}`;
const FIRST_PAGE = { pageSize: 0, pageToken: '', includeUserData: false };

describe('SessionService input checks, before any database access', () => {
  it('takes user ids of 1 to 256 printable characters', async () => {
    for (const userId of ['u', 'u'.repeat(256), 'Zoë Ünïcødé 用户', 'a b']) {
      await expect(service.listForUser(userId, FIRST_PAGE, ctx)).rejects.toMatchObject(reachedStore);
      await expect(service.bindUser(TOKEN, userId, ctx)).rejects.toMatchObject(reachedStore);
      await expect(service.revokeAllForUser(userId, null, ctx)).rejects.toMatchObject(reachedStore);
    }
  });

  it('refuses empty, overlong and control-character user ids with bad_request', async () => {
    for (const userId of ['', 'u'.repeat(257), 'a\nb', 'tab\there', 'nul\0', 'del\u007f']) {
      await expect(service.listForUser(userId, FIRST_PAGE, NO_DEADLINE)).rejects.toThrow(
        new BadRequestError('user_id must be 1 to 256 printable characters'),
      );
      await expect(service.bindUser(TOKEN, userId, NO_DEADLINE)).rejects.toBeInstanceOf(BadRequestError);
      await expect(service.revokeAllForUser(userId, null, NO_DEADLINE)).rejects.toBeInstanceOf(BadRequestError);
    }
  });

  it('refuses malformed session ids with bad_request', async () => {
    for (const sessionId of ['', 'nope', ID.toUpperCase(), `${ID}x`]) {
      await expect(service.get(sessionId, NO_DEADLINE)).rejects.toThrow(new BadRequestError('session_id must be a UUID v4'));
      await expect(service.revokeById(sessionId, null, NO_DEADLINE)).rejects.toBeInstanceOf(BadRequestError);
      await expect(service.revokeAllForUser('u', sessionId, NO_DEADLINE)).rejects.toBeInstanceOf(BadRequestError);
    }
    await expect(service.get(ID, ctx)).rejects.toMatchObject(reachedStore);
    await expect(service.revokeById(ID, 'u', ctx)).rejects.toMatchObject(reachedStore);
    await expect(service.revokeAllForUser('u', ID, ctx)).rejects.toMatchObject(reachedStore);
  });

  it('refuses malformed tokens with invalid_token', async () => {
    const token = `${ID}.short`;
    await expect(service.validate(token, true, NO_DEADLINE)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.touch(token, NO_DEADLINE)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.updateData(token, { userData: {}, mode: 'merge' }, NO_DEADLINE)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.bindUser(token, 'u', NO_DEADLINE)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.revokeByToken(token, NO_DEADLINE)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses bad data before creating or replacing', async () => {
    await expect(service.create({ $set: 1 }, NO_DEADLINE)).rejects.toBeInstanceOf(InvalidUserDataError);
    await expect(service.create(null, ctx)).rejects.toMatchObject(reachedStore);
    await expect(service.updateData(TOKEN, { userData: { 'a.b': 1 }, mode: 'replace' }, NO_DEADLINE)).rejects.toBeInstanceOf(
      InvalidUserDataError,
    );
  });

  it('caps the data of a new session, which is anonymous, at ANONYMOUS_USER_DATA_MAX_BYTES (1024 by default)', async () => {
    await expect(service.create({ s: 'x'.repeat(1_020) }, NO_DEADLINE)).rejects.toThrow(new PayloadTooLargeError(1_024));
    await expect(service.create({ s: 'x'.repeat(1_000) }, ctx)).rejects.toMatchObject(reachedStore);
  });

  it('refuses a page size outside 0 to 200 and a page token it did not write', async () => {
    for (const pageSize of [-1, 201, 2.5]) {
      await expect(service.listForUser('u', { ...FIRST_PAGE, pageSize }, NO_DEADLINE)).rejects.toThrow(
        new BadRequestError('page_size must be 0 (for 50) to 200'),
      );
    }
    const forged = [
      '%%%',
      'a'.repeat(201),
      Buffer.from(`c1:1:${ID.toUpperCase()}`).toString('base64url'),
      Buffer.from(`c2:1:${ID}`).toString('base64url'),
      Buffer.from(`c1:-1:${ID}`).toString('base64url'),
    ];
    for (const pageToken of forged)
      await expect(service.listForUser('u', { ...FIRST_PAGE, pageToken }, NO_DEADLINE)).rejects.toThrow(/^page_token is malformed/);
    const genuine = encodePageToken({ createdAt: new Date(), sessionId: ID });
    await expect(service.listForUser('u', { pageSize: 200, pageToken: genuine, includeUserData: true }, ctx)).rejects.toMatchObject(
      reachedStore,
    );
  });

  it('judges a merge patch by its result, so a large patch of deletions is not refused up front', async () => {
    const deletions = { ['k'.repeat(20_000)]: null };
    await expect(service.updateData(TOKEN, { userData: deletions, mode: 'merge' }, ctx)).rejects.toMatchObject(reachedStore);
  });

  it('names the first malformed id of a touch batch, even the very first, and asks the store nothing for an empty batch', async () => {
    await expect(service.touchMany(['nope', ID], NO_DEADLINE)).rejects.toThrow(
      new BadRequestError('session_ids[0] is not a UUID v4 session id'),
    );
    await expect(service.touchMany([], ctx)).resolves.toBe(0);
    await expect(service.touchMany([ID, ID], ctx)).rejects.toMatchObject(reachedStore);
  });
});
