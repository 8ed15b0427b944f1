import { loadSessionServiceConfig } from '@session/config';
import type { SessionRepository } from '../db/session-repository';
import { ManualClock } from '../testing/manual-clock';
import { BadRequestError, DeadlineExceededError, InvalidTokenError, InvalidUserDataError, PayloadTooLargeError } from './errors';
import { encodePageToken } from './page-token';
import { SessionService } from './session-service';

// A repository that fails the test if anything reaches it: these checks must all run before storage.
const untouchable = new Proxy({} as SessionRepository, {
  get: (_target, method) => () => Promise.reject(new Error(`the database was asked for ${String(method)}`)),
});
const service = new SessionService(untouchable, loadSessionServiceConfig({}).session, new ManualClock());
// A caller that has given up: input that passes every check stops at the deadline, still before storage.
const gone = { requestId: 'gone', deadline: 0 };

const ID = '2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11';
const TOKEN = `${ID}.${'A'.repeat(43)}`;
const FIRST_PAGE = { pageSize: 0, pageToken: '', includeUserData: false };

describe('SessionService input checks, before any database access', () => {
  it('takes user ids of 1 to 256 printable characters', async () => {
    for (const userId of ['u', 'u'.repeat(256), 'Zoë Ünïcødé 用户', 'a b']) {
      await expect(service.listForUser(userId, FIRST_PAGE, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
      await expect(service.bindUser(TOKEN, userId, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
      await expect(service.revokeAllForUser(userId, null, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
    }
  });

  it('refuses empty, overlong and control-character user ids with bad_request', async () => {
    for (const userId of ['', 'u'.repeat(257), 'a\nb', 'tab\there', 'nul\0', 'del\u007f']) {
      await expect(service.listForUser(userId, FIRST_PAGE)).rejects.toThrow(new BadRequestError('user_id must be 1 to 256 printable characters'));
      await expect(service.bindUser(TOKEN, userId)).rejects.toBeInstanceOf(BadRequestError);
      await expect(service.revokeAllForUser(userId, null)).rejects.toBeInstanceOf(BadRequestError);
    }
  });

  it('refuses malformed session ids with bad_request', async () => {
    for (const sessionId of ['', 'nope', ID.toUpperCase(), `${ID}x`]) {
      await expect(service.get(sessionId)).rejects.toThrow(new BadRequestError('session_id must be a UUID v4'));
      await expect(service.revokeById(sessionId, null)).rejects.toBeInstanceOf(BadRequestError);
      await expect(service.revokeAllForUser('u', sessionId)).rejects.toBeInstanceOf(BadRequestError);
    }
    await expect(service.get(ID, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(service.revokeById(ID, 'u', gone)).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(service.revokeAllForUser('u', ID, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('refuses malformed tokens with invalid_token', async () => {
    const token = `${ID}.short`;
    await expect(service.validate(token, true)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.touch(token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.updateData(token, { userData: {}, mode: 'merge' })).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.bindUser(token, 'u')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(service.revokeByToken(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses bad data before creating or replacing', async () => {
    await expect(service.create({ $set: 1 })).rejects.toBeInstanceOf(InvalidUserDataError);
    await expect(service.create(null, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(service.updateData(TOKEN, { userData: { 'a.b': 1 }, mode: 'replace' })).rejects.toBeInstanceOf(InvalidUserDataError);
  });

  it('caps the data of a new session, which is anonymous, at ANONYMOUS_USER_DATA_MAX_BYTES (1024 by default)', async () => {
    await expect(service.create({ s: 'x'.repeat(1_020) })).rejects.toThrow(new PayloadTooLargeError(1_024));
    await expect(service.create({ s: 'x'.repeat(1_000) }, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('refuses a page size outside 0 to 200 and a page token it did not write', async () => {
    for (const pageSize of [-1, 201, 2.5]) {
      await expect(service.listForUser('u', { ...FIRST_PAGE, pageSize })).rejects.toThrow(new BadRequestError('page_size must be 0 (for 50) to 200'));
    }
    const forged = ['%%%', 'a'.repeat(201), Buffer.from(`c1:1:${ID.toUpperCase()}`).toString('base64url'), Buffer.from(`c2:1:${ID}`).toString('base64url'), Buffer.from(`c1:-1:${ID}`).toString('base64url')];
    for (const pageToken of forged) await expect(service.listForUser('u', { ...FIRST_PAGE, pageToken })).rejects.toThrow(/^page_token is malformed/);
    const genuine = encodePageToken({ createdAt: new Date(), sessionId: ID });
    await expect(service.listForUser('u', { pageSize: 200, pageToken: genuine, includeUserData: true }, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  it('judges a merge patch by its result, so a large patch of deletions is not refused up front', async () => {
    const deletions = { ['k'.repeat(20_000)]: null };
    await expect(service.updateData(TOKEN, { userData: deletions, mode: 'merge' }, gone)).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});
