import type { JsonObject } from '@session/proto';
import { ClaimsTooLargeError, InvalidClaimsError, InvalidUserDataError } from './errors';
import { checkJsonObject } from './user-data';

/**
 * Claims follow user_data's storage rules (object, safe keys, bounded depth) with their own size
 * cap, measured like user_data's: the UTF-8 bytes of their JSON. Unset means none (`{}`): a bind
 * is a fresh sign-in, so claims the caller did not restate must not survive it.
 */
export function validateClaims(value: JsonObject | null, maxBytes: number): JsonObject {
  if (value === null) return {};
  try {
    checkJsonObject(value, 'claims');
  } catch (err) {
    if (err instanceof InvalidUserDataError) throw new InvalidClaimsError(err.message);
    throw err;
  }
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > maxBytes) throw new ClaimsTooLargeError(maxBytes);
  return value;
}
