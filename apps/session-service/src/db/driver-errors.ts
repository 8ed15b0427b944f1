import { MongoError, MongoServerError } from 'mongodb';
import { InternalError, ServiceUnavailableError, type SessionServiceError } from '../domain/errors';

// Server answers that mean "not now" rather than "never": time limits, elections, shutdown.
const TRANSIENT_SERVER_CODES = new Set([
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * The embedded database (FerretDB on SQLite) cuts a query at its maxTimeMS by cancelling its context.
 * Its build now answers MaxTimeMSExpired (50) for a findAndModify so cut (tools/embedded-db/build.mjs),
 * but its `find` translates only a cut that surfaces as a cancelled context: one that lands inside
 * SQLite's own call still comes back as InternalError (1) ending "interrupted (9)" or "context deadline
 * exceeded". The overload fault spec met 11 such finds in one run (HTTP 500 where 503 is right), so
 * both texts stay recognised here.
 */
function isEmbeddedDbTimeLimit(err: MongoServerError): boolean {
  return Number(err.code) === 1 && /\b(interrupted \(9\)|context deadline exceeded)$/.test(err.message);
}

/**
 * Node's own socket and stream failures. The driver does not wrap every one of
 * them: a write to a socket the database has just closed can surface as a plain
 * `Error` with code EPIPE ("This socket has been ended by the other party").
 */
export const NODE_NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

function isNodeNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && NODE_NETWORK_ERROR_CODES.has(code);
}

/**
 * Maps a driver error to the domain error callers see (the repository's one
 * use; the driver error rides along as `cause`, for the logs). Driver details never leave
 * the process: a server error is INTERNAL unless it is transient, and any
 * client-side failure (network, server selection, timeouts, closed client,
 * or a raw Node socket error the driver let through) means the database
 * cannot be reached right now.
 */
export function classifyDriverError(err: unknown): SessionServiceError | null {
  const cause = { cause: err };
  if (err instanceof MongoServerError) {
    const transient =
      TRANSIENT_SERVER_CODES.has(Number(err.code)) || err.hasErrorLabel('RetryableWriteError') || isEmbeddedDbTimeLimit(err);
    return transient ? new ServiceUnavailableError(undefined, cause) : new InternalError(undefined, cause);
  }
  if (err instanceof MongoError || isNodeNetworkError(err)) return new ServiceUnavailableError(undefined, cause);
  return null;
}
