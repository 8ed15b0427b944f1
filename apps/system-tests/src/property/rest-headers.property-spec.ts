import fc from 'fast-check';
import type { OutgoingHttpHeaders } from 'node:http';
import { anyJson } from './support/json-arbitraries';
import { openApiStatusesOf } from './support/openapi';
import { createHttpClient } from './support/http-client';
import { startPropertyStack, type PropertyStack } from './support/property-stack';
import { expectWellFormedAnswer, ObservedStatuses } from './support/rest-answers';
import { headerValue, junkToken, nearToken } from './support/token-arbitraries';

/** Every API route, by its OpenAPI operation ("method path"). */
const ROUTES = [
  'post /api/sessions',
  'get /api/sessions',
  'get /api/sessions/current',
  'post /api/sessions/current/touch',
  'delete /api/sessions/current',
  'patch /api/sessions/current/data',
  'put /api/sessions/current/data',
  'delete /api/sessions/{sessionId}',
  'get /healthz',
  'get /readyz',
] as const;
type Route = (typeof ROUTES)[number];

/** Which credential a run presents; live ones are minted inside the run, so each run starts from a known state. */
type TokenKind = { kind: 'anonymous' | 'bound' | 'revoked' | 'none' } | { kind: 'near'; pick: number } | { kind: 'junk'; token: string };
const tokenKind: fc.Arbitrary<TokenKind> = fc.oneof(
  fc.constantFrom({ kind: 'anonymous' as const }, { kind: 'bound' as const }, { kind: 'revoked' as const }, { kind: 'none' as const }),
  fc.nat().map((pick) => ({ kind: 'near' as const, pick })),
  junkToken.map((token) => ({ kind: 'junk' as const, token })),
);

const pathId = fc.oneof(
  fc.constantFrom('own', 'other-user', 'unknown').map((which) => ({ which })),
  fc
    .oneof(
      fc.uuid(),
      fc
        .string({ maxLength: 60 })
        .map(encodeURIComponent)
        .filter((id) => id.length <= 100),
      fc.constantFrom('%00', '..', '%2e%2e', 'a%2Fb', 'x'.repeat(100), '%F0%9F%98%80', '%20', '?x=%'),
    )
    .map((raw) => ({ raw })),
);

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const headersArb = fc.record({
  credentialIn: fc.constantFrom('bearer', 'cookie', 'both', 'lowercase-bearer', 'basic'),
  contentType: optional(
    fc.oneof(
      fc.constantFrom('application/json', 'application/merge-patch+json', 'text/plain', 'application/json; charset=latin1'),
      headerValue(60),
    ),
  ),
  ifMatch: optional(fc.oneof(fc.constantFrom('*', 'W/"v0"', '"v0"', 'W/"v1"', 'W/"v999999999999999999"'), headerValue(100))),
  origin: optional(
    fc.oneof(
      fc.webUrl().map((u) => new URL(u).origin),
      fc.constantFrom('null', 'http://127.0.0.1'),
      headerValue(60),
    ),
  ),
  secFetchSite: optional(fc.oneof(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none'), headerValue(20))),
  requestId: optional(headerValue(200)),
  extraCookie: optional(headerValue(80)),
  accept: optional(fc.oneof(fc.constantFrom('text/html', 'application/json', '*/*'), headerValue(40))),
});

const NO_HEADERS: ValueOf<typeof headersArb> = {
  credentialIn: 'bearer',
  contentType: undefined,
  ifMatch: undefined,
  origin: undefined,
  secFetchSite: undefined,
  requestId: undefined,
  extraCookie: undefined,
  accept: undefined,
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('REST headers, tokens and path ids: any value gets a well-formed answer', () => {
  let stack: PropertyStack;
  const observed = new ObservedStatuses();
  beforeAll(async () => {
    stack = await startPropertyStack();
  });
  afterAll(async () => stack?.close());

  let users = 0;
  const liveToken = async (bound: boolean) => {
    const { token } = await stack.grpc.createSession({});
    if (!bound) return token;
    return (await stack.grpc.bindUser({ token, user_id: `user-${users++ % 3}` })).token;
  };

  async function resolveToken(spec: TokenKind): Promise<string | undefined> {
    switch (spec.kind) {
      case 'none':
        return undefined;
      case 'anonymous':
      case 'bound':
        return liveToken(spec.kind === 'bound');
      case 'revoked': {
        const token = await liveToken(false);
        await stack.grpc.revokeSession({ token });
        return token;
      }
      case 'near':
        return fc.sample(nearToken(await liveToken(true)), { numRuns: 1, seed: spec.pick })[0];
      case 'junk':
        return spec.token;
    }
  }

  async function resolvePath(route: Route, id: ValueOf<typeof pathId>, token: string | undefined): Promise<string> {
    if (route !== 'delete /api/sessions/{sessionId}') return route.split(' ')[1];
    if ('raw' in id) return `/api/sessions/${id.raw}`;
    if (id.which === 'own' && token) return `/api/sessions/${encodeURIComponent(token.split('.')[0])}`;
    if (id.which === 'other-user') return `/api/sessions/${(await stack.grpc.createSession({})).session?.session_id}`;
    return `/api/sessions/${fc.sample(fc.uuid({ version: 4 }), 1)[0]}`;
  }

  function headersFor(h: ValueOf<typeof headersArb>, token: string | undefined): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = {};
    const cookies = [h.extraCookie].filter((c) => c !== undefined);
    if (token !== undefined) {
      if (h.credentialIn === 'bearer' || h.credentialIn === 'both') out['authorization'] = `Bearer ${token}`;
      if (h.credentialIn === 'lowercase-bearer') out['authorization'] = `bearer\t${token}`;
      if (h.credentialIn === 'basic') out['authorization'] = `Basic ${Buffer.from(`u:${token}`).toString('base64')}`;
      if (h.credentialIn === 'cookie' || h.credentialIn === 'both') cookies.push(`session=${token}`);
    }
    if (cookies.length) out['cookie'] = cookies.join('; ');
    if (h.contentType !== undefined) out['content-type'] = h.contentType;
    if (h.ifMatch !== undefined) out['if-match'] = h.ifMatch;
    if (h.origin !== undefined) out['origin'] = h.origin;
    if (h.secFetchSite !== undefined) out['sec-fetch-site'] = h.secFetchSite;
    if (h.requestId !== undefined) out['x-request-id'] = h.requestId;
    if (h.accept !== undefined) out['accept'] = h.accept;
    return out;
  }

  it('never a 5xx, always a stable problem code, no token echoed, no cookie-authenticated write from elsewhere', async () => {
    const body = fc.option(fc.oneof(fc.constant({ theme: 'dark' }), fc.constant({ user_data: { a: 1 } }), anyJson), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), tokenKind, headersArb, pathId, body, async (route, kind, h, id, payload) => {
        const token = await resolveToken(kind);
        const method = route.split(' ')[0].toUpperCase();
        const headers = headersFor(h, token);
        const res = await stack.http.send({
          method,
          path: await resolvePath(route, id, token),
          headers,
          body: payload === undefined ? undefined : JSON.stringify(payload),
        });
        expectWellFormedAnswer(res);
        observed.record(route, res.status);

        const secret = token?.split('.')[1];
        if (secret && secret.length > 8) expect(res.body).not.toContain(secret);
        const setCookie = (res.headers['set-cookie'] ?? []).join('\n');
        // Only a create sets a live cookie; everything else may only clear it.
        if (res.status !== 201) expect(setCookie).not.toMatch(/session=[^;]/);

        const cookieOnly = headers['cookie']?.toString().includes('session=') && !String(headers['authorization'] ?? '').match(/^bearer/i);
        const foreign =
          h.secFetchSite?.toLowerCase() === 'cross-site' || (h.origin !== undefined && !h.origin.startsWith(stack.gateway.url));
        if (cookieOnly && foreign && STATE_CHANGING.has(method)) expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      {
        numRuns: 250,
        // Bodies on DELETE are rare among generated values; these make sure every run checks them.
        examples: [
          [
            'delete /api/sessions/current',
            { kind: 'anonymous' },
            { ...NO_HEADERS, contentType: 'text/plain' },
            { which: 'unknown' },
            { theme: 'dark' },
          ],
          [
            'delete /api/sessions/{sessionId}',
            { kind: 'bound' },
            { ...NO_HEADERS, contentType: 'text/plain' },
            { which: 'unknown' },
            { theme: 'dark' },
          ],
        ],
      },
    );
    await stack.assertAlive();
  });

  it('throttles by the limits alone: junk tokens past INVALID_TOKEN_LIMIT and creates past CREATE_RATE_LIMIT get 429 problems', async () => {
    const limited = await stack.startExtraGateway({ INVALID_TOKEN_LIMIT: '5', CREATE_RATE_LIMIT: '5' });
    const http = createHttpClient(limited.url);
    let invalid = 0;
    let creates = 0;
    try {
      await fc.assert(
        // A value with inner whitespace is no Bearer credential at all, so it is not an invalid token either.
        fc.asyncProperty(
          fc.oneof(
            junkToken.filter((t) => !/\s/.test(t)).map((token) => ({ token })),
            fc.constant({ create: true }),
          ),
          async (req) => {
            const res =
              'token' in req
                ? await http.send({ path: '/api/sessions/current', headers: { authorization: `Bearer ${req.token}` } })
                : await http.send({ method: 'POST', path: '/api/sessions' });
            const count = 'token' in req ? ++invalid : ++creates;
            const problem = expectWellFormedAnswer(res);
            if (count > 5) {
              expect(problem).toMatchObject({ status: 429, code: 'rate_limited' });
              expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
            } else {
              expect(res.status).toBe('token' in req ? 401 : 201);
            }
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      http.close();
    }
    expect(Math.min(invalid, creates)).toBeGreaterThan(5);
  });

  it('answers only statuses that /openapi.json declares for each operation', async () => {
    const declared = await openApiStatusesOf(stack.http);
    const entries = observed.entries();
    expect(entries.length).toBe(ROUTES.length);
    const undeclared = entries.flatMap(([operation, statuses]) =>
      statuses.filter((s) => !declared.get(operation)?.includes(s)).map((s) => `${operation} ${s}`),
    );
    expect(undeclared).toEqual([]);
  });
});
