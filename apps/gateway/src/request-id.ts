import { randomUUID } from 'node:crypto';
import { isValidRequestId } from '@session/proto';

/**
 * Keeps a caller's `x-request-id` when it is safe to log and forward
 * (short, no spaces or control characters), else mints a UUID.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return isValidRequestId(header) ? header : randomUUID();
}
