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

const sessionSummaryProperties = Object.fromEntries(Object.entries(sessionSchema.properties).filter(([name]) => name !== 'user_data'));

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
        required: sessionSchema.required.filter((name) => name !== 'user_data'),
        additionalProperties: false,
        properties: sessionSummaryProperties,
      },
    },
    next_page_token: { type: ['string', 'null'], description: 'Send it as page_token for the next page; null on the last page' },
  },
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
    problemSchema,
    healthSchema,
  ];
}
