import { status } from '@grpc/grpc-js';
import { jsonToStruct, structToJson, type Session__Output } from '@session/proto';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

describe('ListUserSessions pages over a real server and database', () => {
  let t: TestService;
  beforeAll(async () => {
    // Pages of one user's sessions need more of them than the default per-user limit keeps live.
    t = await startTestService({ env: { USER_DATA_MAX_BYTES: '400000', SESSION_MAX_PER_USER: '1000' } });
  });
  afterAll(async () => t?.close());

  /** `count` sessions of `userId`, `perBatch` at a time; the manual clock stands still, so many share a creation time. */
  async function signedIn(userId: string, count: number, userData: Record<string, unknown> = { n: 1 }, perBatch = 20): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += perBatch) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(perBatch, count - i) }, async () => {
          const { token } = await t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: userId });
          return (await t.api.updateSessionData({ token, user_data: jsonToStruct(userData), mode: 'UPDATE_MODE_REPLACE' })).session!
            .session_id;
        }),
      );
      ids.push(...batch);
      t.clock.advance(1);
    }
    return ids;
  }

  async function allPages(request: { user_id: string; page_size?: number; include_user_data?: boolean }): Promise<Session__Output[][]> {
    const pages: Session__Output[][] = [];
    let page_token = '';
    do {
      const res = await t.api.listUserSessions({ ...request, page_token });
      pages.push(res.sessions);
      page_token = res.next_page_token;
    } while (page_token !== '' && pages.length < 100);
    return pages;
  }

  it('lists every live session exactly once, newest first, 50 to a page by default and without user_data', async () => {
    const ids = await signedIn('pager', 120);
    const pages = await allPages({ user_id: 'pager' });
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    const listed = pages.flat();
    expect(listed.map((s) => s.session_id).sort()).toEqual([...ids].sort());
    expect(new Set(listed.map((s) => s.session_id)).size).toBe(120);
    for (const s of listed) expect(s.user_data).toBeNull();
    // Newest first: created_at descending, then id descending among sessions created in the same millisecond.
    const keys = listed.map((s) => [Number(s.created_at!.seconds) * 1_000 + Math.floor(s.created_at!.nanos / 1e6), s.session_id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(keys).toEqual(sorted);
  });

  it('carries user_data only when asked, and honours page_size', async () => {
    await signedIn('asker', 7, { theme: 'dark' });
    const pages = await allPages({ user_id: 'asker', page_size: 3, include_user_data: true });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    for (const s of pages.flat()) expect(structToJson(s.user_data)).toEqual({ theme: 'dark' });
  });

  it('ends a page early rather than send more than 1 MiB of user_data, and still lists everything', async () => {
    const ids = await signedIn('heavy', 5, { blob: 'x'.repeat(390_000) }, 5);
    const pages = await allPages({ user_id: 'heavy', page_size: 10, include_user_data: true });
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(
      pages
        .flat()
        .map((s) => s.session_id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('refuses a page size above 200 and a page token it did not write with INVALID_ARGUMENT', async () => {
    const tooBig = await failureOf(t.api.listUserSessions({ user_id: 'pager', page_size: 201 }));
    expect(tooBig).toEqual({ code: status.INVALID_ARGUMENT, errorCode: 'bad_request', details: 'page_size must be 0 (for 50) to 200' });
    for (const page_token of ['garbage', Buffer.from('c1:1:not-an-id').toString('base64url')]) {
      const f = await failureOf(t.api.listUserSessions({ user_id: 'pager', page_token }));
      expect(f).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'bad_request' });
      expect(f.details).toMatch(/^page_token is malformed/);
    }
  });
});
