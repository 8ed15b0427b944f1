import { createSessionClient, SessionApi } from '@session/grpc-client';
import { jsonToStruct } from '@session/proto';
import { startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Keys Fastify's JSON parser refuses in request bodies (prototype poisoning) are plain data to the session
 * service, and other back-end callers can store them over gRPC. Responses must show them as stored: the
 * request-side UserData schema once made the serializer throw on them (a 500 on every read of such a session).
 */
describe('user_data stored over gRPC with keys the REST parser refuses (real session service)', () => {
  let stack: GatewayStack;
  let trusted: SessionApi;
  beforeAll(async () => {
    stack = await startGatewayStack();
    trusted = new SessionApi(createSessionClient({ address: stack.service.address }), 10_000);
  });
  afterAll(async () => {
    trusted?.close();
    await stack?.close();
  });

  // JSON.parse makes "__proto__" an own key, as the service's decoder does; an object literal would set the prototype.
  const STORED = [
    '{" ":[{"__proto__":null}]}',
    '{"a":{"__proto__":1}}',
    '{"__proto__":{"x":[1,{"__proto__":"y"}]}}',
    '{"a":{"constructor":{"prototype":1}}}',
    '{"a":[{"constructor":{"prototype":{"b":true}}}]}',
  ];

  it.each(STORED)('shows %s as stored on reads (service and cache) and after a merge patch, with no error logged', async (text) => {
    const data = JSON.parse(text) as Record<string, unknown>;
    const { token } = await trusted.createSession({ user_data: jsonToStruct(data) });
    // The first read validates at the service; the second is served from the near cache once its feed is up.
    for (const read of [1, 2]) {
      const res = await stack.inject({ url: '/api/sessions/current', headers: bearer(token) });
      expect({ read, status: res.statusCode }).toEqual({ read, status: 200 });
      expect(JSON.stringify(res.json().session.user_data)).toBe(text);
    }
    const patched = await stack.inject({
      method: 'PATCH',
      url: '/api/sessions/current/data',
      headers: { 'content-type': 'application/merge-patch+json', ...bearer(token) },
      payload: '{"added":1}',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().session).toMatchObject({ version: 1 });
    expect(JSON.stringify(patched.json().session.user_data)).toBe(`${text.slice(0, -1)},"added":1}`);
    expect(stack.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
  });

  it('still refuses the same keys in a request body with 400 bad_request and stores nothing', async () => {
    const { token } = await trusted.createSession({ user_data: jsonToStruct({ kept: 1 }) });
    const patch = (payload: string, type: string) =>
      stack.inject({ method: 'PATCH', url: '/api/sessions/current/data', headers: { 'content-type': type, ...bearer(token) }, payload });
    for (const type of ['application/merge-patch+json', 'application/json']) {
      for (const body of STORED) {
        const res = await patch(body, type);
        expect({ body, type, status: res.statusCode, code: res.json().code }).toEqual({ body, type, status: 400, code: 'bad_request' });
      }
    }
    const current = await stack.inject({ url: '/api/sessions/current', headers: bearer(token) });
    expect(current.json().session).toMatchObject({ version: 0, user_data: { kept: 1 } });
  });
});
