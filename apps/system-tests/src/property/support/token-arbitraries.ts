import fc from 'fast-check';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Characters node:http lets a client put in a header value (tab, printable ASCII, Latin-1). */
export const headerChar = fc
  .oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
    { weight: 1, arbitrary: fc.constant(0x09) },
  )
  .map((code) => String.fromCharCode(code));

export const headerValue = (maxLength = 80) => fc.string({ unit: headerChar, maxLength });

/** A secret with the right alphabet and length (32 bytes in base64url) that the server never minted. */
export const wellShapedSecret = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 });

/** Tokens of the right shape that match no session: unknown v4 ids, other UUID versions, odd lengths and case. */
export const wellShapedToken = fc.oneof(
  fc.tuple(fc.uuid({ version: 4 }), wellShapedSecret).map(([id, secret]) => `${id}.${secret}`),
  fc.tuple(fc.uuid({ version: [1, 3, 5, 7] }), wellShapedSecret).map(([id, secret]) => `${id}.${secret}`),
  fc.tuple(fc.uuid({ version: 4 }), wellShapedSecret).map(([id, secret]) => `${id.toUpperCase()}.${secret}`),
  fc
    .tuple(fc.uuid({ version: 4 }), fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 128 }))
    .map(([id, s]) => `${id}.${s}`),
);

/**
 * Variations of a token the server did mint: another secret for the same
 * id, one character changed, truncated, extended, or split differently.
 */
export const nearToken = (token: string) => {
  const [id, secret] = token.split('.');
  return fc.oneof(
    wellShapedSecret.map((other) => `${id}.${other}`),
    fc
      .tuple(fc.nat(secret.length - 1), fc.constantFrom(...BASE64URL))
      .map(([i, c]) => `${id}.${secret.slice(0, i)}${c === secret[i] ? (c === 'A' ? 'B' : 'A') : c}${secret.slice(i + 1)}`),
    fc.nat(secret.length - 1).map((n) => `${id}.${secret.slice(0, n)}`),
    fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 8 }).map((extra) => `${token}${extra}`),
    fc.constantFrom(`${id}${secret}`, `${id}.${secret}.`, `.${secret}`, `${id}.`, `${secret}.${id}`, token.toUpperCase()),
  );
};

/** Anything at all in a token position, as long as it can travel in a header. */
export const junkToken = fc.oneof(
  headerValue(200),
  fc.string({ unit: fc.constantFrom(...BASE64URL, '.'), maxLength: 90 }),
  wellShapedToken,
);

/** Any string: what a gRPC caller may put in a token or id field (no header rules apply there). */
export const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ maxLength: 4000 }), wellShapedToken);
