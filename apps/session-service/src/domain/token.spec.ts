import { hashSecret, isSessionId, mintSecret, mintToken, parseToken, secretMatches } from './token';
import { InvalidTokenError } from './errors';

describe('tokens', () => {
  it('mints "<uuid v4>.<43 base64url chars>" and stores only the SHA-256 of the secret', () => {
    const minted = mintToken();
    expect(minted.token).toBe(`${minted.sessionId}.${minted.secret}`);
    expect(isSessionId(minted.sessionId)).toBe(true);
    expect(minted.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(minted.secret, 'base64url')).toHaveLength(32);
    expect(minted.secretHash).toBe(hashSecret(minted.secret));
    expect(minted.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(minted.secretHash).not.toContain(minted.secret);
  });

  it('mints a different id and secret each time, and a new secret for the same id on rotation', () => {
    const a = mintToken();
    const b = mintToken();
    expect(a.sessionId).not.toBe(b.sessionId);
    const rotated = mintSecret(a.sessionId);
    expect(rotated.sessionId).toBe(a.sessionId);
    expect(rotated.secret).not.toBe(a.secret);
  });

  it('parses what it mints', () => {
    const minted = mintToken();
    expect(parseToken(minted.token)).toEqual({ sessionId: minted.sessionId, secret: minted.secret });
  });

  it.each([
    ['empty', ''],
    ['no separator', 'abc'],
    ['uppercase uuid', `2C5EA4C0-4067-41B5-8B0E-6A1D3D6C7A11.${'A'.repeat(43)}`],
    ['uuid v1', `2c5ea4c0-4067-11b5-8b0e-6a1d3d6c7a11.${'A'.repeat(43)}`],
    ['bad variant', `2c5ea4c0-4067-41b5-0b0e-6a1d3d6c7a11.${'A'.repeat(43)}`],
    ['secret too short', `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(42)}`],
    ['secret too long', `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(44)}`],
    ['padding', `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(42)}=`],
    ['two dots', `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(21)}.${'A'.repeat(21)}`],
    ['trailing newline', `2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(43)}\n`],
    ['leading junk', `x2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(43)}`],
    ['leading space', ` 2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11.${'A'.repeat(43)}`],
  ])('rejects a malformed token: %s', (_name, token) => {
    expect(() => parseToken(token)).toThrow(InvalidTokenError);
  });

  it('compares secrets against the stored hash', () => {
    const minted = mintToken();
    expect(secretMatches(minted.secret, minted.secretHash)).toBe(true);
    expect(secretMatches(mintToken().secret, minted.secretHash)).toBe(false);
    expect(secretMatches(minted.secret, 'abcd')).toBe(false); // a damaged stored hash never matches
  });

  it('recognises session ids', () => {
    expect(isSessionId(mintToken().sessionId)).toBe(true);
    expect(isSessionId('2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11x')).toBe(false);
    expect(isSessionId('')).toBe(false);
    expect(isSessionId('x2c5ea4c0-4067-41b5-8b0e-6a1d3d6c7a11')).toBe(false);
    expect(isSessionId('2c5ea4c0-4067-11b5-8b0e-6a1d3d6c7a11')).toBe(false); // v1
    expect(isSessionId('2c5ea4c0-4067-41b5-cb0e-6a1d3d6c7a11')).toBe(false); // not the RFC 4122 variant
  });
});
