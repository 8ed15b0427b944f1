import { BadRequestError } from './errors';
import { isSessionId } from './token';

/**
 * Where a page of a user's sessions ends, in their listing order (newest first: created_at
 * descending, then session id descending). The id breaks ties between sessions created in the
 * same millisecond, so the order is total and a session is listed exactly once however the
 * pages fall. Sessions created after the first page was read are not listed (they sort before it).
 */
export interface PageCursor {
  readonly createdAt: Date;
  readonly sessionId: string;
}

// Versioned so the format can change without old tokens being misread.
const PREFIX = 'c1';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,200}$/;
const CURSOR_SHAPE = /^c1:(\d{1,15}):([0-9a-f-]{36})$/;

/** Opaque to callers: base64url, so it travels in a query string as it is. */
export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(`${PREFIX}:${cursor.createdAt.getTime()}:${cursor.sessionId}`, 'utf8').toString('base64url');
}

/** The cursor of a next_page_token; INVALID_ARGUMENT for anything this service did not write. */
export function decodePageToken(token: string): PageCursor {
  const malformed = () => new BadRequestError('page_token is malformed; pass the next_page_token of the previous page');
  if (!TOKEN_SHAPE.test(token)) throw malformed();
  const m = CURSOR_SHAPE.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m || !isSessionId(m[2])) throw malformed();
  // At most 15 digits: always within the range of Date.
  return { createdAt: new Date(Number(m[1])), sessionId: m[2] };
}
