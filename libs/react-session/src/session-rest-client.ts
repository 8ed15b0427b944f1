import {
  MERGE_PATCH_CONTENT_TYPE,
  PROBLEM_CODES,
  type JsonValue,
  type Problem,
  type ProblemCode,
  type SessionDto,
  type UserData,
} from '@session/rest-contract';
import { SessionApiError } from './session-api-error';

/** The part of a fetch Response the client reads, so tests can answer without a Response class (jsdom has none). */
export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<ResponseLike>;

/** A JSON merge patch (RFC 7396): `null` removes a key. */
export type MergePatch = { [key: string]: JsonValue };

export interface SessionResult {
  session: SessionDto;
  /** The `ETag` the server sent, when it sent one. */
  etag: string | null;
  /** The server's clock (`Date` header) in epoch ms, to correct countdowns on a skewed client clock. */
  serverTime: number | null;
}

export interface WriteOptions {
  /** Sent as `If-Match`: the write fails with 412 when the stored version differs. */
  ifMatch?: string;
}

export interface SessionRestClient {
  /** `POST /api/sessions`. The token in the answer is dropped: the browser holds it only as an HttpOnly cookie. */
  create(userData?: UserData): Promise<SessionResult>;
  current(): Promise<SessionResult>;
  patchData(patch: MergePatch, options?: WriteOptions): Promise<SessionResult>;
  replaceData(userData: UserData, options?: WriteOptions): Promise<SessionResult>;
  touch(): Promise<SessionResult>;
  end(): Promise<void>;
}

export interface SessionRestClientOptions {
  /** Defaults to the global `fetch`, read at call time (it may be installed after this client is made). */
  fetch?: FetchLike;
  /** Prefix of the API paths; same origin by default. */
  baseUrl?: string;
}

const CODES: ReadonlySet<string> = new Set(PROBLEM_CODES);

/**
 * A small typed client of the gateway's session endpoints. Pure: no storage,
 * no UI, no retries; the provider decides what a failure means.
 */
export function createSessionRestClient(options: SessionRestClientOptions = {}): SessionRestClient {
  const base = `${options.baseUrl ?? ''}/api/sessions`;

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ResponseLike> {
    const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    const init: RequestInit = {
      method,
      // The token travels only as the HttpOnly cookie, never through script.
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    let response: ResponseLike;
    try {
      response = await doFetch(`${base}${path}`, init);
    } catch (error) {
      throw new SessionApiError(0, 'network_error', `The session API could not be reached (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (!response.ok) throw await problemError(response);
    return response;
  }

  async function sessionResult(response: ResponseLike): Promise<SessionResult> {
    const body = await readJson(response);
    const session = (body as { session?: unknown } | null)?.session;
    if (!isSessionDto(session)) throw new SessionApiError(response.status, 'bad_response', 'The session API answered without a session.');
    const date = Date.parse(response.headers.get('date') ?? '');
    return { session, etag: response.headers.get('etag'), serverTime: Number.isNaN(date) ? null : date };
  }

  const ifMatch = (o?: WriteOptions): Record<string, string> => (o?.ifMatch ? { 'if-match': o.ifMatch } : {});

  return {
    async create(userData) {
      return sessionResult(await send('POST', '', userData ? { user_data: userData } : {}));
    },
    async current() {
      return sessionResult(await send('GET', '/current'));
    },
    async patchData(patch, o) {
      return sessionResult(await send('PATCH', '/current/data', patch, { 'content-type': MERGE_PATCH_CONTENT_TYPE, ...ifMatch(o) }));
    },
    async replaceData(userData, o) {
      return sessionResult(await send('PUT', '/current/data', { user_data: userData }, ifMatch(o)));
    },
    async touch() {
      return sessionResult(await send('POST', '/current/touch'));
    },
    async end() {
      await send('DELETE', '/current');
    },
  };
}

async function readJson(response: ResponseLike): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new SessionApiError(response.status, 'bad_response', 'The session API answered with something that is not JSON.');
  }
}

async function problemError(response: ResponseLike): Promise<SessionApiError> {
  let body: unknown = null;
  try {
    body = await readJson(response);
  } catch {
    // A proxy's HTML error page: the status alone still says what happened.
  }
  const problem = isProblem(body) ? body : undefined;
  const code: ProblemCode | 'bad_response' = problem ? problem.code : response.status === 401 ? 'unauthenticated' : 'bad_response';
  const message = problem?.detail ?? problem?.title ?? `The session API answered ${response.status}.`;
  return new SessionApiError(response.status, code, message, problem);
}

function isProblem(value: unknown): value is Problem {
  const v = value as Partial<Problem> | null;
  return !!v && typeof v === 'object' && typeof v.status === 'number' && typeof v.code === 'string' && CODES.has(v.code);
}

/** Enough of a shape check that a wrong answer fails here, not deep inside a component. */
export function isSessionDto(value: unknown): value is SessionDto {
  const v = value as Partial<SessionDto> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    typeof v.session_id === 'string' &&
    typeof v.version === 'number' &&
    typeof v.idle_expires_at === 'string' &&
    typeof v.absolute_expires_at === 'string' &&
    !!v.user_data &&
    typeof v.user_data === 'object' &&
    !Array.isArray(v.user_data)
  );
}
