import { MERGE_PATCH_CONTENT_TYPE, PROBLEM_CONTENT_TYPE } from '@session/rest-contract';

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Bad request: schema failure (the field is named) or invalid user data',
  401: 'No valid session token (missing, malformed, unknown, expired or revoked); on sign-in routes also invalid_credentials or reauthentication_required',
  403: 'Cross-origin cookie-authenticated write, or an anonymous session where a user is needed',
  404: "No such session among the current user's sessions",
  409: 'Version conflict (the data changed; refetch and retry), or account_exists on sign-up',
  412: 'If-Match did not name the current version',
  413: 'Body or user_data over the size limit',
  415: 'Unsupported content type',
  429: 'Too many requests from this address; see Retry-After',
  500: 'Internal error (no details are disclosed)',
  502: 'The session service sent an answer the gateway could not use',
  503: 'The session service is unavailable',
  504: 'The session service did not answer in time',
};

const RETRY_AFTER = { 'Retry-After': { type: 'integer', description: 'seconds to wait' } } as const;

/** Problem+json responses for the given statuses. */
export function problemResponses(...statuses: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const status of statuses) {
    out[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: 'Problem#' } } },
    };
  }
  return out;
}

/** A JSON success response referencing a shared schema. */
export function jsonResponse(description: string, ref: string, headers?: Record<string, unknown>) {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: { $ref: `${ref}#` } } } };
}

/** A required JSON body given by a shared schema. */
export function jsonBody(ref: string) {
  return { content: { 'application/json': { schema: { $ref: `${ref}#` } } } };
}

export const ETAG_HEADER = { ETag: { type: 'string', description: 'W/"v<version>"; send it back as If-Match' } } as const;

export const SET_COOKIE_HEADER = {
  'Set-Cookie': {
    type: 'string',
    description:
      'the HttpOnly session cookie: persistent until the absolute expiry, or (signed in without remember_me) ending with the browser',
  },
} as const;

/** Statuses any API route can answer besides its own: bad input, throttling and upstream failures. */
export const COMMON_FAILURES = [400, 429, 500, 503, 504] as const;
/** Extra statuses of routes that accept a body. */
export const BODY_FAILURES = [413, 415] as const;

export const SESSION_SECURITY: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

const REQUEST_ID_HEADER = {
  type: 'string',
  description: 'Correlation id echoed back and forwarded; used when it is 1-128 characters of [A-Za-z0-9._-], else replaced',
} as const;

export const requestHeaders = {
  type: 'object',
  properties: { 'x-request-id': REQUEST_ID_HEADER },
} as const;

export const conditionalWriteHeaders = {
  type: 'object',
  properties: {
    'x-request-id': REQUEST_ID_HEADER,
    'if-match': {
      type: 'string',
      maxLength: 64,
      description: 'the ETag last seen; the write fails with 412 when the data has changed since',
    },
  },
} as const;

/** GET /api/sessions: paging; the session service checks the token and the upper bound too. */
export const sessionListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Query values stay strings (the gateway's Ajv does not coerce): 1 to 200 as digits.
    page_size: { type: 'string', pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: 'sessions per page, 1 to 200; 50 when absent' },
    page_token: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'the next_page_token of the previous page',
    },
  },
} as const;

/** DELETE /api/sessions: only `scope=others` (every session of the user but the caller's) exists. */
export const revokeScopeQuery = {
  type: 'object',
  required: ['scope'],
  additionalProperties: false,
  properties: { scope: { type: 'string', enum: ['others'], description: 'others: every session of the current user except this one' } },
} as const;

export const sessionIdParams = {
  type: 'object',
  required: ['sessionId'],
  additionalProperties: false,
  // The service's own rule: session ids are minted as lowercase UUID v4, and any other form is refused (400).
  properties: {
    sessionId: { type: 'string', format: 'uuid', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' },
  },
} as const;

export const createSessionBody = {
  content: {
    'application/json': {
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: { user_data: { $ref: 'UserData#' } },
      },
    },
  },
} as const;

export const replaceDataBody = {
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['user_data'],
        additionalProperties: false,
        properties: { user_data: { $ref: 'UserData#' } },
      },
    },
  },
} as const;

const mergePatch = { $ref: 'UserDataPatch#' } as const;
export const mergePatchBody = {
  content: { [MERGE_PATCH_CONTENT_TYPE]: { schema: mergePatch }, 'application/json': { schema: mergePatch } },
} as const;
