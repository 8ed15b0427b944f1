import type { Problem, ProblemCode } from '@session/rest-contract';

/** Codes the browser adds to the server's problem codes for failures that never got a problem body. */
export type ClientErrorCode = 'network_error' | 'bad_response';

const ACCOUNT_401_CODES: ReadonlySet<string> = new Set<ProblemCode>(['invalid_credentials', 'reauthentication_required']);

/** A failed call to the session REST API: the server's problem+json, or a transport failure (status 0). */
export class SessionApiError extends Error {
  override readonly name = 'SessionApiError';

  constructor(
    readonly status: number,
    readonly code: ProblemCode | ClientErrorCode,
    message: string,
    readonly problem?: Problem,
  ) {
    super(message);
  }

  /**
   * The session behind the cookie is gone (unknown, expired, revoked, malformed or missing token).
   * Not the 401s of the account endpoints about the person rather than the session: a wrong
   * password or a sign-in too old to change it leaves the session as it was.
   */
  get isUnauthenticated(): boolean {
    return this.status === 401 && !ACCOUNT_401_CODES.has(this.code);
  }

  /** `If-Match` named a version the server no longer has. */
  get isConflict(): boolean {
    return this.status === 412 || this.code === 'version_conflict';
  }
}

export function isSessionApiError(error: unknown): error is SessionApiError {
  return error instanceof SessionApiError;
}

/** Any thrown value as a SessionApiError, so the provider's `error` has one shape. */
export function toSessionApiError(error: unknown): SessionApiError {
  if (isSessionApiError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SessionApiError(0, 'network_error', message || 'The session API could not be reached.');
}
