import { createHash } from 'node:crypto';

/** The cache key of a token: its SHA-256, so a heap dump of the cache holds no usable token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
