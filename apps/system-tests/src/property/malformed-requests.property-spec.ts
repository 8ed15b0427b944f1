import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { usePropertyStack } from './support/property-stack';
import { callWithBytes, deepCreateRequest, sendRawHttp } from './support/raw-clients';
import { expectWellFormedAnswer } from './support/rest-answers';

const API_PATHS = ['/api/sessions', '/api/sessions/current', '/api/sessions/current/data', '/api/sessions/current/touch', '/healthz'];

/** Percent signs not followed by two hex digits, and escapes that decode to invalid UTF-8. */
const badEscape = fc.oneof(
  fc.constantFrom('%', '%z', '%zz', '%G0', '%C3%28', '%E0%A4%A', '%FF', '%ED%A0%80', '%%'),
  fc.string({ unit: fc.constantFrom(...'ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ-_.~'), minLength: 1, maxLength: 2 }).map((s) => `%${s}`),
);

/** Control characters HTTP forbids in header values (tab excepted); node:http will not send them, a socket will. */
const controlChar = fc
  .integer({ min: 0, max: 0x1f })
  .filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
  .map((c) => String.fromCharCode(c));

describe('malformed requests get a problem answer and leave both processes serving', () => {
  const stack = usePropertyStack();

  // Fastify answers these from its router with its own JSON unless the server has a `frameworkErrors` handler.
  it('answers a URL with a broken percent-escape, or an over-long path parameter, with a 400 problem', async () => {
    const path = fc.oneof(
      fc
        .tuple(fc.constantFrom(...API_PATHS), badEscape, fc.constantFrom('', '/x', '?a=1'))
        .map(([base, bad, tail]) => ({ method: 'GET', path: `${base}${bad}${tail}` })),
      fc.tuple(badEscape, fc.uuid()).map(([bad, id]) => ({ method: 'DELETE', path: `/api/sessions/${id}${bad}` })),
      fc.integer({ min: 101, max: 4_000 }).map((n) => ({ method: 'DELETE', path: `/api/sessions/${'a'.repeat(n)}` })),
    );
    await fc.assert(
      fc.asyncProperty(path, async ({ method, path: url }) => {
        const res = await stack.http.send({ method, path: url, headers: { authorization: 'Bearer x.y' } });
        expect(res.status).toBe(400);
        expect(expectWellFormedAnswer(res)).toMatchObject({ code: 'bad_request' });
      }),
      { numRuns: 60 },
    );
  });

  // Node's parser refuses these before Fastify routes them; Fastify's default clientErrorHandler answers in its own JSON.
  it('answers control characters in a header value with a 400 problem', async () => {
    const request = fc
      .tuple(
        fc.constantFrom('authorization: Bearer ', 'cookie: session=', 'x-request-id: ', 'if-match: ', 'origin: http://'),
        fc.string({ maxLength: 10 }),
        controlChar,
        fc.string({ maxLength: 10 }),
      )
      .map(
        ([header, before, bad, after]) =>
          `GET /api/sessions/current HTTP/1.1\r\nhost: 127.0.0.1\r\n${header}${before}${bad}${after}\r\nconnection: close\r\n\r\n`,
      );
    await fc.assert(
      fc.asyncProperty(request, async (raw) => {
        const res = await sendRawHttp(stack.gateway.url, raw);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'bad_request' });
      }),
      { numRuns: 40 },
    );
  });

  // gRPC defines INTERNAL as the library's own answer to a request it cannot parse ("Error parsing request
  // proto", grpc/doc/statuscodes.md); grpc-js gives it before any handler runs. What matters here is that
  // nothing worse happens: no crash, no hang, and the service keeps serving.
  it('answers undecodable gRPC request bytes with the library status and keeps serving', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.tuple(fc.integer({ min: 40, max: 5_000 }), fc.boolean()).map(([depth, lists]) => deepCreateRequest(depth, lists)),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.nat(30)).map(([depth, cut]) => deepCreateRequest(depth, false).subarray(0, cut)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom('CreateSession', 'ValidateSession', 'UpdateSessionData'), async (payload, method) => {
        const err = await callWithBytes(stack.service.address, method, payload);
        // Some random bytes happen to decode (protobuf skips unknown fields): then the service judges the request itself.
        if (err === null || err.details !== 'Error deserializing request') {
          expect([status.OK, status.INVALID_ARGUMENT, status.UNAUTHENTICATED]).toContain(err?.code ?? status.OK);
        } else {
          expect(err.code).toBe(status.INTERNAL);
        }
      }),
      { numRuns: 80 },
    );
  });
});
