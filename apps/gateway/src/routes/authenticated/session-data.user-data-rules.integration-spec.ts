import { MongoClient } from 'mongodb';
import { startGatewayStack, type GatewayStack } from '../../testing/gateway-stack';

/** `{"a":{"a":...{}}}` with `depth` objects, written as text: JSON.stringify itself overflows the stack on such values. */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('user_data rules over HTTP (real session service)', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { BODY_LIMIT_BYTES: '1048576', USER_DATA_MAX_BYTES: '65536' } });
  });
  afterAll(async () => stack?.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const newToken = async () =>
    (await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: { kept: 1 } } })).json().token as string;
  const current = async (token: string) => (await stack.inject({ url: '/api/sessions/current', headers: bearer(token) })).json().session;
  const errorLogs = () => stack.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  const sessionCount = async () => {
    const client = await MongoClient.connect(stack.db.uri);
    try {
      return await client.db(stack.dbName).collection('user_sessions').countDocuments();
    } finally {
      await client.close();
    }
  };

  it('answers a 10,000-deep user_data with 400 invalid_user_data on create, replace and merge, logs no error and changes nothing', async () => {
    const token = await newToken();
    const before = await current(token);
    const sessionsBefore = await sessionCount();
    const json = { 'content-type': 'application/json' };
    const answers = [
      await stack.inject({ method: 'POST', url: '/api/sessions', headers: json, payload: `{"user_data":${deepJson(10_000)}}` }),
      await stack.inject({
        method: 'PUT',
        url: '/api/sessions/current/data',
        headers: { ...json, ...bearer(token) },
        payload: `{"user_data":${deepJson(10_000)}}`,
      }),
      await stack.inject({
        method: 'PATCH',
        url: '/api/sessions/current/data',
        headers: { 'content-type': 'application/merge-patch+json', ...bearer(token) },
        payload: deepJson(10_000),
      }),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 400, code: 'invalid_user_data' });
    }
    expect(errorLogs()).toEqual([]);
    expect(await current(token)).toMatchObject({ user_data: before.user_data, version: before.version });
    expect(await sessionCount()).toBe(sessionsBefore);
  });

  it('takes user_data exactly at the nesting limit (16) and refuses one level more with invalid_user_data', async () => {
    const token = await newToken();
    const atLimit = await stack.inject({
      method: 'PUT',
      url: '/api/sessions/current/data',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      payload: `{"user_data":${deepJson(16)}}`,
    });
    expect(atLimit.statusCode).toBe(200);
    const over = await stack.inject({
      method: 'PUT',
      url: '/api/sessions/current/data',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      payload: `{"user_data":${deepJson(17)}}`,
    });
    expect(over.json()).toMatchObject({ status: 400, code: 'invalid_user_data' });
    expect((await current(token)).version).toBe(1);
  });

  it.each([
    ['an empty key', { '': 1 }],
    ['a $-prefixed key', { $set: 1 }],
    ['a dotted key, deep down', { a: { b: [{ 'c.d': 1 }] } }],
    ['a NUL in a key', { 'a\u0000b': 1 }],
    ['an array directly in an array', { a: [[1]] }],
  ])('refuses %s with 400 invalid_user_data, naming the rule, before anything is stored', async (_name, userData) => {
    const token = await newToken();
    const res = await stack.inject({
      method: 'PUT',
      url: '/api/sessions/current/data',
      headers: bearer(token),
      payload: { user_data: userData },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'invalid_user_data',
      field: expect.stringMatching(/^body\/user_data/),
      detail: expect.stringContaining('"$"'),
    });
    expect((await current(token)).version).toBe(0);
  });

  it('holds a merge patch to the same key rules, null values included, and merges one that follows them', async () => {
    const token = await newToken();
    const patch = (body: string) =>
      stack.inject({
        method: 'PATCH',
        url: '/api/sessions/current/data',
        headers: { 'content-type': 'application/merge-patch+json', ...bearer(token) },
        payload: body,
      });
    for (const body of ['{"":null}', '{"$x":null}', '{"n":{"a.b":1}}']) {
      const res = await patch(body);
      expect({ body, answer: res.json() }).toMatchObject({ body, answer: { status: 400, code: 'invalid_user_data' } });
    }
    expect((await current(token)).version).toBe(0);
    const ok = await patch('{"kept":null,"added":{"x":[1,{"y":true}]}}');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().session.user_data).toEqual({ added: { x: [1, { y: true }] } });
  });

  it('keeps a body that is not an object at all a plain bad_request', async () => {
    const token = await newToken();
    const res = await stack.inject({
      method: 'PUT',
      url: '/api/sessions/current/data',
      headers: bearer(token),
      payload: { user_data: 'text' },
    });
    expect(res.json()).toMatchObject({ status: 400, code: 'bad_request', field: 'body/user_data' });
  });

  it('keeps other body failures as bad_request (an unknown top-level field is not a user data rule)', async () => {
    const res = await stack.inject({ method: 'POST', url: '/api/sessions', payload: { user_data: { '': 1 }, extra: 1 } });
    expect(res.json()).toMatchObject({ status: 400, code: 'bad_request', field: 'body' });
  });
});
