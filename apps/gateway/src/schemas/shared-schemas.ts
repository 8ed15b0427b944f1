import { PROBLEM_CODES } from '@session/rest-contract';
import { userDataSchemas } from './user-data-schemas';

const isoTime = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;

export const sessionSchema = {
  $id: 'Session',
  type: 'object',
  description: 'A session as the API shows it; never carries the token or any secret',
  required: [
    'session_id',
    'user_id',
    'user_data',
    'version',
    'created_at',
    'updated_at',
    'last_seen_at',
    'idle_expires_at',
    'absolute_expires_at',
    'expires_at',
    'revoked_at',
    'claims',
    'authenticated_at',
    'authentication_method',
    'remember_me',
    'device',
  ],
  additionalProperties: false,
  properties: {
    session_id: { type: 'string', format: 'uuid' },
    user_id: { type: ['string', 'null'], description: 'null while the session is anonymous' },
    user_data: { $ref: 'StoredUserData#' },
    version: { type: 'integer', minimum: 0, description: '+1 on every data change; the ETag carries it' },
    created_at: isoTime('creation time'),
    updated_at: isoTime('last data change'),
    last_seen_at: isoTime('last validation or touch that was recorded'),
    idle_expires_at: isoTime('sliding expiry'),
    absolute_expires_at: isoTime('hard end of the session'),
    expires_at: isoTime('the earlier of the two expiries'),
    revoked_at: { type: ['string', 'null'], format: 'date-time' },
    // additionalProperties: the serializer writes only declared properties of an object schema, so without it
    // every claim came out as {}.
    claims: {
      type: 'object',
      additionalProperties: true,
      description: 'trusted claims set by back-end services (read-only here); {} when none',
    },
    authenticated_at: { type: ['string', 'null'], format: 'date-time', description: 'last sign-in; null while anonymous' },
    authentication_method: { type: 'string', description: 'how the user signed in (password); empty while anonymous' },
    remember_me: { type: 'boolean', description: 'signed in with remember me: the cookie outlives the browser' },
    device: {
      type: ['object', 'null'],
      description: 'where the session was created or last signed in, as the gateway saw it (the address may be stored truncated)',
      required: ['user_agent', 'client_address'],
      additionalProperties: false,
      properties: { user_agent: { type: 'string' }, client_address: { type: 'string' } },
    },
  },
} as const;

export const sessionResponseSchema = {
  $id: 'SessionResponse',
  type: 'object',
  required: ['session'],
  additionalProperties: false,
  properties: { session: { $ref: 'Session#' } },
} as const;

export const createSessionResponseSchema = {
  $id: 'CreateSessionResponse',
  type: 'object',
  required: ['token', 'session'],
  additionalProperties: false,
  properties: {
    token: { type: 'string', description: 'The session token for API clients (browsers get it as an HttpOnly cookie)' },
    session: { $ref: 'Session#' },
  },
} as const;

/** A listed session: no user_data (may be large) nor claims (read the session itself), and whether it is the caller's. */
const NOT_LISTED: readonly string[] = ['user_data', 'claims'];
const sessionSummaryProperties = {
  ...Object.fromEntries(Object.entries(sessionSchema.properties).filter(([name]) => !NOT_LISTED.includes(name))),
  current: { type: 'boolean', description: 'true for the session this request was made with' },
};

export const sessionListResponseSchema = {
  $id: 'SessionListResponse',
  type: 'object',
  required: ['sessions', 'next_page_token'],
  additionalProperties: false,
  properties: {
    sessions: {
      type: 'array',
      description: 'One page, newest first; listed sessions carry no user_data',
      items: {
        type: 'object',
        required: [...sessionSchema.required.filter((name) => !NOT_LISTED.includes(name)), 'current'],
        additionalProperties: false,
        properties: sessionSummaryProperties,
      },
    },
    next_page_token: { type: ['string', 'null'], description: 'Send it as page_token for the next page; null on the last page' },
  },
} as const;

export const signInRequestSchema = {
  $id: 'SignInRequest',
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: {
    // Bounds only: the accounts service owns the rules (normalization, 15-128 code points) and answers invalid_email/invalid_password.
    email: { type: 'string', minLength: 1, maxLength: 320, description: 'the account email (case and surrounding spaces do not matter)' },
    password: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: '15 to 128 characters (Unicode code points after NFKC) for a new account',
    },
    remember_me: {
      type: 'boolean',
      default: false,
      description: 'keep the cookie across browser restarts; otherwise it ends with the browser',
    },
  },
} as const;

export const changePasswordRequestSchema = {
  $id: 'ChangePasswordRequest',
  type: 'object',
  required: ['current_password', 'new_password'],
  additionalProperties: false,
  properties: {
    current_password: { type: 'string', minLength: 1, maxLength: 1024 },
    new_password: { type: 'string', minLength: 1, maxLength: 1024, description: '15 to 128 characters (Unicode code points after NFKC)' },
  },
} as const;

export const revokedCountSchema = {
  $id: 'RevokedCount',
  type: 'object',
  required: ['revoked_count'],
  additionalProperties: false,
  properties: { revoked_count: { type: 'integer', minimum: 0, description: 'sessions that were ended' } },
} as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details with a stable machine-readable code',
  required: ['type', 'title', 'status', 'code'],
  additionalProperties: false,
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: [...PROBLEM_CODES] },
    detail: { type: 'string' },
    instance: { type: 'string' },
    field: { type: 'string', description: 'for schema failures: the failing field, e.g. body/user_data' },
    request_id: { type: 'string' },
  },
} as const;

export const healthSchema = {
  $id: 'Health',
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

/** Registered once with addSchema, so routes use `$ref` and OpenAPI lists them as components; user_data's size limit is configured. */
export function sharedSchemas(userDataMaxBytes: number): Record<string, unknown>[] {
  return [
    ...userDataSchemas(userDataMaxBytes),
    sessionSchema,
    sessionResponseSchema,
    createSessionResponseSchema,
    sessionListResponseSchema,
    signInRequestSchema,
    changePasswordRequestSchema,
    revokedCountSchema,
    problemSchema,
    healthSchema,
  ];
}
