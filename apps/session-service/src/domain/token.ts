import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import { InvalidTokenError } from './errors';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// 32 random bytes in unpadded base64url are exactly 43 characters.
const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
const SECRET_BYTES = 32;

export interface ParsedToken {
  readonly sessionId: string;
  readonly secret: string;
}

export interface MintedToken extends ParsedToken {
  readonly token: string;
  readonly secretHash: string;
}

export function isSessionId(value: string): boolean {
  return UUID_V4.test(value);
}

/** Checks the shape only: a malformed token never costs a database call. */
export function parseToken(token: string): ParsedToken {
  const m = TOKEN.exec(token);
  if (!m) throw new InvalidTokenError();
  return { sessionId: m[1], secret: m[2] };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of SHA-256(secret) with the stored hex digest. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function mintSecret(sessionId: string): MintedToken {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { sessionId, secret, token: `${sessionId}.${secret}`, secretHash: hashSecret(secret) };
}

/** A brand-new session id and secret; the server never takes an id from a caller. */
export function mintToken(): MintedToken {
  return mintSecret(uuidv4());
}
