import { MongoError, MongoServerError } from 'mongodb';
import { AccountsError } from '../domain/errors';

export const DUPLICATE_KEY = 11000;
// Server answers that mean "not now": time limit, shutdown, elections, not primary.
const TRANSIENT = new Set([50, 91, 189, 262, 10107, 11600, 11602, 13435, 13436]);

/**
 * A driver failure as callers see it: the database unreachable or busy is UNAVAILABLE (retry), any
 * other server answer INTERNAL. The driver's error rides along as `cause`, for the logs only.
 */
export function toAccountsError(err: unknown): AccountsError {
  if (err instanceof AccountsError) return err;
  if (err instanceof MongoServerError) {
    const transient = TRANSIENT.has(Number(err.code)) || err.hasErrorLabel('RetryableWriteError');
    return new AccountsError(transient ? 'unavailable' : 'internal', { cause: err });
  }
  const code = (err as { code?: unknown } | null)?.code;
  const network = typeof code === 'string' && /^(E[A-Z]+|ERR_STREAM_)/.test(code);
  return new AccountsError(err instanceof MongoError || network ? 'unavailable' : 'internal', { cause: err });
}
