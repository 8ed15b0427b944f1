import { createFakeSessionApi } from './testing';
import { SessionApiError } from './session-api-error';
import { createSessionRestClient, type FetchLike, type ResponseLike } from './session-rest-client';

const reply = (status: number, body: string, headers: Record<string, string> = {}): ResponseLike => ({
  ok: status >= 200 && status < 300,
  status,
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  text: async () => body,
});

describe('createSessionRestClient', () => {
  it('creates a session and hands back no token (the cookie is the only copy)', async () => {
    const api = createFakeSessionApi();
    const result = await createSessionRestClient({ fetch: api.fetch }).create({ theme: 'dark' });
    expect(api.cookie).toMatch(/\./);
    expect(JSON.stringify(result)).not.toContain(api.cookie!);
    expect(result.session.user_data).toEqual({ theme: 'dark' });
    expect(result.etag).toBe('W/"v1"');
    expect(result.serverTime).toEqual(expect.any(Number));
  });

  it('sends same-origin credentials, the merge-patch content type and If-Match', async () => {
    const calls: Array<[string, RequestInit]> = [];
    const api = createFakeSessionApi();
    const spy: FetchLike = (url, init) => {
      calls.push([url, init]);
      return api.fetch(url, init);
    };
    const client = createSessionRestClient({ fetch: spy, baseUrl: '' });
    await client.create();
    await client.patchData({ theme: 'light' }, { ifMatch: 'W/"v1"' });
    await client.replaceData({ a: 1 });

    const [url, init] = calls[1];
    expect(url).toBe('/api/sessions/current/data');
    expect(init).toMatchObject({ method: 'PATCH', credentials: 'same-origin', cache: 'no-store', body: '{"theme":"light"}' });
    expect(init.headers).toMatchObject({ 'content-type': 'application/merge-patch+json', 'if-match': 'W/"v1"' });
    expect(calls[2][1]).toMatchObject({ method: 'PUT', body: '{"user_data":{"a":1}}' });
    expect(calls[2][1].headers).toMatchObject({ 'content-type': 'application/json' });
    expect(calls[2][1].headers).not.toHaveProperty('if-match');
  });

  it('turns problem+json into a SessionApiError with the stable code', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Session expired',
      status: 401,
      code: 'session_expired',
      detail: 'The session has expired.',
    };
    const client = createSessionRestClient({ fetch: async () => reply(401, JSON.stringify(problem)) });
    const error = await client.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionApiError);
    expect(error).toMatchObject({
      status: 401,
      code: 'session_expired',
      message: 'The session has expired.',
      isUnauthenticated: true,
      isConflict: false,
    });
  });

  it('copes with bodies that are not problems, bad success bodies and network failures', async () => {
    const html = createSessionRestClient({ fetch: async () => reply(502, '<html>Bad gateway</html>') });
    await expect(html.touch()).rejects.toMatchObject({ status: 502, code: 'bad_response' });
    const bare401 = createSessionRestClient({ fetch: async () => reply(401, '') });
    await expect(bare401.current()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    const noSession = createSessionRestClient({ fetch: async () => reply(200, '{"ok":true}') });
    await expect(noSession.current()).rejects.toMatchObject({ code: 'bad_response' });
    const offline = createSessionRestClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(offline.end()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('reads the global fetch at call time, not when it is created', async () => {
    const client = createSessionRestClient();
    const api = createFakeSessionApi();
    const original = globalThis.fetch;
    globalThis.fetch = api.fetch as unknown as typeof fetch;
    try {
      await client.create();
      expect(api.count('POST', '/api/sessions')).toBe(1);
    } finally {
      globalThis.fetch = original;
    }
  });
});
