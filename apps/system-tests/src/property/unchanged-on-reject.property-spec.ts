import { etagToVersion } from '@session/rest-contract';
import fc from 'fast-check';
import type { OutgoingHttpHeaders } from 'node:http';
import { anyJson, anyObject, HOSTILE_KEYS, objectOf, type Json } from './support/json-arbitraries';
import { isForbiddenKey } from './support/json-rules';
import { BODY_LIMIT_BYTES, USER_DATA_MAX_BYTES } from './support/limits';
import { startPropertyStack, type PropertyStack } from './support/property-stack';
import { outcomeOf } from './support/rest-answers';
import { headerValue, nearToken } from './support/token-arbitraries';

const DATA_PATH = '/api/sessions/current/data';

interface Rejected {
  what: string;
  method: 'PATCH' | 'PUT';
  headers: OutgoingHttpHeaders;
  body: string;
  /** The statuses this kind of request may get; anything else means it was not refused for the intended reason. */
  statuses: number[];
}

/** A non-null value under a forbidden key, at the top or a few objects down, among arbitrary siblings. */
const withForbiddenKey = fc
  .tuple(
    fc.constantFrom(...HOSTILE_KEYS.filter(isForbiddenKey)),
    anyJson.filter((v) => v !== null),
    fc.array(fc.constantFrom('a', 'b', 'ü'), { maxLength: 3 }),
    anyObject,
  )
  .map(([key, value, path, siblings]) => {
    let nested: Json = objectOf([[key, value]]);
    for (const step of path.reverse()) nested = objectOf([[step, nested]]);
    return objectOf([
      ...Object.entries(siblings).filter(([k]) => !Object.hasOwn(nested as object, k)),
      ...Object.entries(nested as object),
    ]);
  });

const tooDeep = fc.integer({ min: 17, max: 60 }).map((depth) => {
  let value: Json = { leaf: true };
  for (let i = 1; i < depth; i++) value = i % 3 ? { d: value } : [value];
  return value;
});

describe('a rejected request never changes the stored session', () => {
  let stack: PropertyStack;
  let token: string;
  let sessionId: string;
  /** Big enough that adding ~1.2 KB pushes it over USER_DATA_MAX_BYTES. */
  const DATA = { theme: 'dark', notes: 'n'.repeat(2_800), nested: { list: [1, 'two', { three: 3 }] } };

  beforeAll(async () => {
    stack = await startPropertyStack();
    const created = await stack.grpc.createSession({});
    token = created.token;
    sessionId = created.session?.session_id as string;
    const res = await stack.http.sendJson('PUT', DATA_PATH, { user_data: DATA }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });
  afterAll(async () => stack?.close());

  const bearer = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const json = (value: unknown) => JSON.stringify(value);

  const rejected = (): fc.Arbitrary<Rejected> =>
    fc.oneof(
      withForbiddenKey.map((patch) => ({
        what: 'patch with a forbidden key',
        method: 'PATCH',
        headers: bearer(),
        body: json(patch),
        statuses: [400, 413],
      })),
      fc
        .oneof(
          withForbiddenKey,
          tooDeep,
          anyJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        )
        .map((data) => ({
          what: 'replacement that is not storable user_data',
          method: 'PUT' as const,
          headers: bearer(),
          body: json({ user_data: data }),
          statuses: [400, 413],
        })),
      tooDeep.map((patch) => ({
        what: 'patch nested too deep',
        method: 'PATCH',
        headers: bearer(),
        body: json({ d: patch }),
        statuses: [400],
      })),
      headerValue(90)
        .filter((tag) => tag.trim() !== '*' && tag.trim() !== '' && etagToVersion(tag) !== 1)
        .map((tag) => ({
          what: 'stale or foreign If-Match',
          method: 'PATCH',
          headers: { ...bearer(), 'if-match': tag },
          body: json({ theme: 'light' }),
          statuses: [400, 412],
        })),
      fc.integer({ min: 0, max: 20 }).map((v) => ({
        what: 'If-Match of another version',
        method: 'PUT',
        headers: { ...bearer(), 'if-match': `W/"v${v === 1 ? 2 : v}"` },
        body: json({ user_data: {} }),
        statuses: [412],
      })),
      fc.integer({ min: 1_300, max: USER_DATA_MAX_BYTES - 100 }).map((n) => ({
        what: 'patch whose merge outgrows the limit',
        method: 'PATCH',
        headers: bearer(),
        body: json({ extra: 'x'.repeat(n) }),
        statuses: [413],
      })),
      fc.integer({ min: USER_DATA_MAX_BYTES, max: BODY_LIMIT_BYTES * 2 }).map((n) => ({
        what: 'oversize body',
        method: 'PUT',
        headers: bearer(),
        body: json({ user_data: { s: 'x'.repeat(n) } }),
        statuses: [413],
      })),
      fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=b')
        .map((type) => ({
          what: 'unsupported media type',
          method: 'PATCH',
          headers: { ...bearer(), 'content-type': type },
          body: json({ theme: 'light' }),
          statuses: [415],
        })),
      fc.webUrl().map((origin) => ({
        what: 'cookie-authenticated write from a foreign origin',
        method: 'PATCH',
        headers: { cookie: `session=${token}`, origin: new URL(origin).origin, 'content-type': 'application/json' },
        body: json({ theme: 'light' }),
        statuses: [403],
      })),
      fc
        .constant(null)
        .chain(() => nearToken(token))
        .map((other) => ({
          what: 'near-valid token',
          method: 'PUT',
          headers: { ...bearer(), authorization: `Bearer ${other}` },
          body: json({ user_data: { theme: 'light' } }),
          statuses: [401],
        })),
    ) as fc.Arbitrary<Rejected>;

  const stored = () => stack.sessions.findOne({ session_id: sessionId });

  it('leaves user_data, version, updated_at and every other field as they were after each refusal', async () => {
    const before = await stored();
    expect(before).toMatchObject({ version: 1, user_data: DATA });
    await fc.assert(
      fc.asyncProperty(rejected(), async (req) => {
        const res = await stack.http.send({ method: req.method, path: DATA_PATH, headers: req.headers, body: req.body });
        // fast-check prints `req` (its `what` included) with any failure.
        expect(req.statuses).toContain(outcomeOf(res).status);
        expect(await stored()).toEqual(before);
      }),
      { numRuns: 200 },
    );
    await stack.assertAlive();
  });

  it('still accepts a valid write afterwards (the refusals were not for a dead token)', async () => {
    const res = await stack.http.sendJson('PATCH', DATA_PATH, { theme: 'light' }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(await stored()).toMatchObject({ version: 2, user_data: { ...DATA, theme: 'light' } });
  });
});
