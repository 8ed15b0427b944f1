import { MERGE_PATCH_CONTENT_TYPE, type JsonValue, type SessionDto, type UserData } from '@session/rest-contract';
import { SessionApiError } from './session-api-error';
import { accountEndpoints, type AccountEndpoints } from './account-endpoints';
import { problemError, sessionResult } from './rest-answers';

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

export interface SessionRestClient extends AccountEndpoints {
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

/** One call to the gateway: `path` under `/api`; a non-2xx answer throws its problem as a SessionApiError. */
export type SendFn = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ResponseLike>;

/**
 * A small typed client of the gateway's session endpoints. Pure: no storage,
 * no UI, no retries; the provider decides what a failure means.
 */
export function createSessionRestClient(options: SessionRestClientOptions = {}): SessionRestClient {
  const base = `${options.baseUrl ?? ''}/api`;

  const send: SendFn = async (method, path, body, headers = {}) => {
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
      throw new SessionApiError(
        0,
        'network_error',
        `The session API could not be reached (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    if (!response.ok) throw await problemError(response);
    return response;
  };

  const ifMatch = (o?: WriteOptions): Record<string, string> => (o?.ifMatch ? { 'if-match': o.ifMatch } : {});

  return {
    async create(userData) {
      return sessionResult(await send('POST', '/sessions', userData ? { user_data: userData } : {}));
    },
    async current() {
      return sessionResult(await send('GET', '/sessions/current'));
    },
    async patchData(patch, o) {
      return sessionResult(
        await send('PATCH', '/sessions/current/data', patch, { 'content-type': MERGE_PATCH_CONTENT_TYPE, ...ifMatch(o) }),
      );
    },
    async replaceData(userData, o) {
      return sessionResult(await send('PUT', '/sessions/current/data', { user_data: userData }, ifMatch(o)));
    },
    async touch() {
      return sessionResult(await send('POST', '/sessions/current/touch'));
    },
    async end() {
      await send('DELETE', '/sessions/current');
    },
    ...accountEndpoints(send),
  };
}
