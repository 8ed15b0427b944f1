import type { JsonObject } from '@session/proto';
import { rulesOnDbPerFile } from '../testing/rules-on-db';
import { NO_DEADLINE } from './call-context';
import { decodePageToken } from './page-token';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_DATA_BUDGET_BYTES, type ListRequest } from './session-service';

const MB = 1_048_576;
const on = rulesOnDbPerFile({ maxPerUser: 1_000, userDataMaxBytes: MB, anonymousUserDataMaxBytes: MB });

/** Signed-in sessions of `userId`, one millisecond apart, oldest first; their ids. */
async function sessionsOf(userId: string, data: JsonObject[]): Promise<string[]> {
  const ids: string[] = [];
  for (const userData of data) {
    on.rules.clock.advance(1);
    const created = await on.service.create(userData, NO_DEADLINE);
    await on.service.bindUser(created.token, userId, NO_DEADLINE);
    ids.push(created.session.sessionId);
  }
  return ids;
}

/** A user_data object whose JSON is exactly `bytes` bytes ({"s":"…"} is 8 bytes around the string). */
const ofBytes = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) });

async function allPages(userId: string, request: Omit<ListRequest, 'pageToken'>) {
  const pages: string[][] = [];
  let pageToken = '';
  do {
    const page = await on.service.listForUser(userId, { ...request, pageToken }, NO_DEADLINE);
    pages.push(page.sessions.map((s) => s.sessionId));
    pageToken = page.nextPageToken;
  } while (pageToken !== '' && pages.length < 10);
  return pages;
}

describe('ListUserSessions pages', () => {
  it('lists every session once, newest first, the token naming the last one listed and empty on the last page', async () => {
    const ids = await sessionsOf('pager', [{}, {}, {}, {}, {}]);
    const first = await on.service.listForUser('pager', { pageSize: 2, pageToken: '', includeUserData: false }, NO_DEADLINE);
    expect(decodePageToken(first.nextPageToken)).toEqual({ createdAt: first.sessions[1].createdAt, sessionId: ids[3] });
    expect(await allPages('pager', { pageSize: 2, includeUserData: false })).toEqual([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]);
    // A page exactly as large as what is left is the last one.
    expect(await allPages('pager', { pageSize: 5, includeUserData: false })).toEqual([[...ids].reverse()]);
  });

  it(`gives ${DEFAULT_PAGE_SIZE} sessions for a page size of 0, and takes up to ${MAX_PAGE_SIZE}`, async () => {
    const ids = await sessionsOf(
      'many',
      Array.from({ length: DEFAULT_PAGE_SIZE + 1 }, () => ({})),
    );
    const page = await on.service.listForUser('many', { pageSize: 0, pageToken: '', includeUserData: false }, NO_DEADLINE);
    expect(page.sessions).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(page.nextPageToken).not.toBe('');
    const whole = await on.service.listForUser('many', { pageSize: MAX_PAGE_SIZE, pageToken: '', includeUserData: false }, NO_DEADLINE);
    expect(whole.sessions).toHaveLength(ids.length);
    expect(whole.nextPageToken).toBe('');
  });

  it('carries user_data only when asked', async () => {
    await sessionsOf('data', [{ theme: 'dark' }]);
    const without = await on.service.listForUser('data', { pageSize: 0, pageToken: '', includeUserData: false }, NO_DEADLINE);
    const withData = await on.service.listForUser('data', { pageSize: 0, pageToken: '', includeUserData: true }, NO_DEADLINE);
    expect(without.sessions[0].userData).toEqual({});
    expect(withData.sessions[0].userData).toEqual({ theme: 'dark' });
  });
});

describe(`ListUserSessions with user_data stops a page at ${PAGE_DATA_BUDGET_BYTES} bytes of it`, () => {
  it('fills a page up to exactly the budget and moves the rest to the next page', async () => {
    const half = PAGE_DATA_BUDGET_BYTES / 2;
    const [small, b, a] = await sessionsOf('budget', [{}, ofBytes(half), ofBytes(half)]);
    expect(await allPages('budget', { pageSize: 10, includeUserData: true })).toEqual([[a, b], [small]]);
    // Without user_data the budget does not apply.
    expect(await allPages('budget', { pageSize: 10, includeUserData: false })).toEqual([[a, b, small]]);
  });

  it('still lists a first session larger than the whole budget (stored before a limit was lowered), alone', async () => {
    const [small, big] = await sessionsOf('oversize', [{}, {}]);
    await on.rules.collection.updateOne({ _id: big }, { $set: { user_data: ofBytes(PAGE_DATA_BUDGET_BYTES + 1) } });
    expect(await allPages('oversize', { pageSize: 10, includeUserData: true })).toEqual([[big], [small]]);
  });
});
