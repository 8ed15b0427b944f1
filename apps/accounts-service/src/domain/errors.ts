import { status } from '@grpc/grpc-js';

/**
 * Every reason this service refuses a call, with its gRPC status and the `x-error-code` the
 * gateway turns into the REST problem's `code` (docs/accounts.md). One table, so a new reason does
 * not compile until it is mapped.
 */
export const ACCOUNTS_ERRORS = {
  invalid_email: { status: status.INVALID_ARGUMENT, message: 'email must be one address of at most 254 characters with a domain' },
  invalid_password: { status: status.INVALID_ARGUMENT, message: 'password must be 15 to 128 characters' },
  bad_request: { status: status.INVALID_ARGUMENT, message: 'malformed request' },
  account_exists: { status: status.ALREADY_EXISTS, message: 'an account with this email already exists' },
  // One message for an unknown email and a wrong password: the answer must not tell them apart.
  invalid_credentials: { status: status.UNAUTHENTICATED, message: 'email or password is wrong' },
  reauthentication_required: { status: status.FAILED_PRECONDITION, message: 'sign in again before changing the password' },
  rate_limited: { status: status.RESOURCE_EXHAUSTED, message: 'too many failed sign-ins; try again later' },
  unavailable: { status: status.UNAVAILABLE, message: 'a dependency of the accounts service is unavailable' },
  timeout: { status: status.DEADLINE_EXCEEDED, message: 'the call ran out of time' },
  internal: { status: status.INTERNAL, message: 'internal error' },
} as const satisfies Record<string, { status: status; message: string }>;

export type AccountsErrorCode = keyof typeof ACCOUNTS_ERRORS;

export class AccountsError extends Error {
  override readonly name = 'AccountsError';

  constructor(
    readonly code: AccountsErrorCode,
    options?: { cause?: unknown; message?: string; retryAfterSeconds?: number },
  ) {
    super(options?.message ?? ACCOUNTS_ERRORS[code].message, { cause: options?.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** Sent as `retry-after` trailer metadata with rate_limited, when known. */
  readonly retryAfterSeconds: number | undefined;
}

/**
 * The session service refused the caller's own session (session_not_found, session_revoked,
 * reauthentication_required, ...): answered with that service's status and code unchanged, so the
 * gateway maps it as it maps any session refusal.
 */
export class UpstreamRefusal extends Error {
  override readonly name = 'UpstreamRefusal';

  constructor(
    readonly status: status,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
