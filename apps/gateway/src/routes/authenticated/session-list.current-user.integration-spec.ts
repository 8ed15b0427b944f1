import { createSessionClient, SessionApi } from '@session/grpc-client';
import { parseSetCookie, startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

describe("the current user's sessions (real session service)", () => {
  let stack: GatewayStack;
  let trusted: SessionApi;
  beforeAll(async () => {
    stack = await startGatewayStack();
    // Binding a user is a gRPC-only call for trusted services: the spec plays that service.
    trusted = new SessionApi(createSessionClient({ address: stack.service.address }));
  });
  afterAll(async () => {
    trusted?.close();
    await stack?.close();
  });

  const anonymous = async () =>
    (await stack.inject({ method: 'POST', url: '/api/sessions', payload: {} })).json() as {
      token: string;
      session: { session_id: string };
    };
  const signedIn = async (userId: string) => {
    const { token } = await anonymous();
    const bound = await trusted.bindUser({ token, user_id: userId });
    return { token: bound.token, id: bound.session?.session_id as string };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses an anonymous session with 403', async () => {
    const { token, session } = await anonymous();
    const list = await stack.inject({ url: '/api/sessions', headers: bearer(token) });
    expect(list.statusCode).toBe(403);
    expect(list.json()).toMatchObject({ code: 'forbidden' });
    const revoke = await stack.inject({ method: 'DELETE', url: `/api/sessions/${session.session_id}`, headers: bearer(token) });
    expect(revoke.statusCode).toBe(403);
    expect((await stack.inject({ url: '/api/sessions' })).statusCode).toBe(401);
  });

  it("lists the user's live sessions and revokes one of them", async () => {
    const first = await signedIn('user-a');
    const second = await signedIn('user-a');
    await signedIn('user-b');
    const list = await stack.inject({ url: '/api/sessions', headers: bearer(first.token) });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const sessions = list.json().sessions as { session_id: string; user_id: string }[];
    expect(sessions.map((s) => s.session_id).sort()).toEqual([first.id, second.id].sort());
    expect(sessions.every((s) => s.user_id === 'user-a')).toBe(true);
    expect(list.body).not.toContain(first.token.split('.')[1]);

    const revoke = await stack.inject({ method: 'DELETE', url: `/api/sessions/${second.id}`, headers: bearer(first.token) });
    expect(revoke.statusCode).toBe(204);
    expect((await stack.inject({ url: '/api/sessions/current', headers: bearer(second.token) })).statusCode).toBe(401);
    const after = await stack.inject({ url: '/api/sessions', headers: bearer(first.token) });
    expect(after.json().sessions.map((s: { session_id: string }) => s.session_id)).toEqual([first.id]);
    const again = await stack.inject({ method: 'DELETE', url: `/api/sessions/${second.id}`, headers: bearer(first.token) });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'session_not_found' });
  });

  it("answers 404 for another user's session or an unknown id, 400 for a malformed id", async () => {
    const mine = await signedIn('user-c');
    const theirs = await signedIn('user-d');
    const other = await stack.inject({ method: 'DELETE', url: `/api/sessions/${theirs.id}`, headers: bearer(mine.token) });
    expect(other.statusCode).toBe(404);
    expect((await stack.inject({ url: '/api/sessions/current', headers: bearer(theirs.token) })).statusCode).toBe(200);
    const unknown = await stack.inject({
      method: 'DELETE',
      url: '/api/sessions/1b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
      headers: bearer(mine.token),
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await stack.inject({ method: 'DELETE', url: '/api/sessions/not-a-uuid', headers: bearer(mine.token) });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'bad_request', field: 'params/sessionId' });
  });

  it('clears the cookie when a cookie-authenticated user revokes the very session they use', async () => {
    const me = await signedIn('user-e');
    const res = await stack.inject({ method: 'DELETE', url: `/api/sessions/${me.id}`, cookies: { session: me.token } });
    expect(res.statusCode).toBe(204);
    expect(parseSetCookie(res.headers['set-cookie'])).toMatchObject({ name: 'session', value: '' });
  });
});
