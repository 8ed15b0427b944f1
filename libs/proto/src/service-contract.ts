/**
 * Facts of the session.v1 wire contract that are not in the .proto itself. Both sides (the
 * session service and the gateway's client) read them from here, so they cannot drift apart.
 */

/** Fully qualified name of the service: its health check entry and the caller allow-lists use it. */
export const SESSION_SERVICE_NAME = 'session.v1.SessionService';

/** Trailer metadata of a failed call holding its stable error code (the REST problem's `code`). */
export const ERROR_CODE_METADATA_KEY = 'x-error-code';

/** Metadata (and HTTP header) carrying the correlation id both services log. */
export const REQUEST_ID_METADATA_KEY = 'x-request-id';

/**
 * A caller's correlation id is kept only when it is 1-128 characters of letters, digits, `.`, `_`
 * and `-`: it ends up in log lines and response headers, so nothing that could split or forge them
 * (spaces, control characters, quotes) and nothing a log query treats as syntax (`:`).
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}
