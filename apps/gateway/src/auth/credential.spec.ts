import { looksLikeToken, readCredential } from './credential';

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
