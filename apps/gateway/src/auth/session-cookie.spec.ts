import { clearedCookieOptions, sessionCookieName, sessionCookieOptions } from './session-cookie';

describe('session cookie', () => {
  it('uses the __Host- prefix only when secure', () => {
    expect(sessionCookieName(false)).toBe('session');
    expect(sessionCookieName(true)).toBe('__Host-session');
  });

  it('is HttpOnly, SameSite=Lax, Path=/ and persistent until the given expiry', () => {
    const expires = new Date('2030-01-01T00:00:00Z');
    expect(sessionCookieOptions(false, expires)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: false, expires });
    expect(sessionCookieOptions(true, expires)).toMatchObject({ secure: true, path: '/' });
    expect(sessionCookieOptions(true, expires)).not.toHaveProperty('domain');
  });

  it('is cleared with the same attributes it was set with', () => {
    expect(clearedCookieOptions(true)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: true });
  });
});
