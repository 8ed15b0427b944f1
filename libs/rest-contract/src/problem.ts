/** Stable machine-readable error codes carried in problem+json `code`. */
export const PROBLEM_CODES = [
  'bad_request',
  'invalid_user_data',
  'duplicate_session_cookie',
  'invalid_token',
  'session_not_found',
  'session_expired',
  'session_revoked',
  'unauthenticated',
  'forbidden_origin',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'version_conflict',
  'precondition_failed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'session_service_unavailable',
  'timeout',
  'internal',
  // Accounts (sign-up, sign-in, password change).
  'invalid_email',
  'invalid_password',
  'invalid_credentials',
  'account_exists',
  'reauthentication_required',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** RFC 9457 problem details, as every REST error body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  /** For 400s from schema validation: which field failed. */
  field?: string;
  request_id?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const MERGE_PATCH_CONTENT_TYPE = 'application/merge-patch+json';
