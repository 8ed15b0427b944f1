import fc from 'fast-check';
import { looksLikeToken, MAX_AUTHORIZATION_LENGTH, parseBearer, readCredential } from './credential';

const TOKEN = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.' + 'A'.repeat(43);

describe('readCredential', () => {
  it('takes a bearer token before the cookie', () => {
    expect(readCredential(`Bearer ${TOKEN}`, 'cookie-token')).toEqual({ token: TOKEN, source: 'bearer' });
    expect(readCredential(`bearer   ${TOKEN} `, undefined)).toEqual({ token: TOKEN, source: 'bearer' });
  });

  it('falls back to the cookie, ignoring other schemes', () => {
    expect(readCredential(undefined, TOKEN)).toEqual({ token: TOKEN, source: 'cookie' });
    expect(readCredential('Basic dXNlcjpwYXNz', TOKEN)).toEqual({ token: TOKEN, source: 'cookie' });
  });

  it('is null without either, and keeps an empty bearer token for the shape check to refuse', () => {
    expect(readCredential(undefined, undefined)).toBeNull();
    expect(readCredential(undefined, '')).toBeNull();
    expect(readCredential('Bearer', undefined)).toEqual({ token: '', source: 'bearer' });
  });
});

describe('looksLikeToken', () => {
  it('accepts the id.secret shape', () => expect(looksLikeToken(TOKEN)).toBe(true));
  it.each(['', 'no-dot', `${TOKEN}.extra`, 'a b.c', `${'a'.repeat(65)}.b`, `a.${'b'.repeat(129)}`, 'a.b\u0000'])('refuses %j', (token) =>
    expect(looksLikeToken(token)).toBe(false),
  );
});

describe('parseBearer', () => {
  // The regular expression it replaced (quadratic on long runs of blanks): same answers, linear cost.
  const LEGACY = /^Bearer(?:[ \t]+(\S*))?[ \t]*$/i;
  const legacy = (header: string) => {
    const m = LEGACY.exec(header);
    return m ? (m[1] ?? '') : null;
  };

  it('agrees with the old expression on every short header', () => {
    const alphabet = ['B', 'e', 'a', 'r', 'E', 'R', ' ', '\t', 'x', '.', '-', '\u00a0', 'Bearer', 'bearer '];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((parts) => parts.join('')),
        (header) => {
          expect(parseBearer(header)).toBe(legacy(header));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('reads the token between blanks, case-insensitively, and refuses a token with blanks inside', () => {
    expect(parseBearer(`BEARER \t${TOKEN}\t `)).toBe(TOKEN);
    expect(parseBearer('Bearer   ')).toBe('');
    expect(parseBearer('Bearerx')).toBeNull();
    expect(parseBearer('Bearer a b')).toBeNull();
    expect(parseBearer('Basic abc')).toBeNull();
  });

  it('treats an over-long Bearer header as a malformed (empty) token without scanning it', () => {
    expect(parseBearer(`Bearer ${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}`)).toBe('');
    expect(readCredential(`Bearer ${' '.repeat(5_000)}a b`, TOKEN)).toEqual({ token: '', source: 'bearer' });
    expect(parseBearer(`Basic ${'a'.repeat(MAX_AUTHORIZATION_LENGTH)}`)).toBeNull();
  });
});
