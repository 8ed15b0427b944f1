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
 * Maps a driver error to the error callers see. Driver details never leave
 * the process: a server error is INTERNAL unless it is transient, and any
 * client-side failure (network, server selection, timeouts, closed client)
 * means the database cannot be reached right now.
 */
export function classifyDriverError(err: unknown): SessionServiceError | null {
  if (err instanceof MongoServerError) {
    const transient = TRANSIENT_SERVER_CODES.has(Number(err.code)) || err.hasErrorLabel('RetryableWriteError');
    return transient ? new ServiceUnavailableError() : new InternalError();
  }
  if (err instanceof MongoError) return new ServiceUnavailableError();
  return null;
}
