import {
  MERGE_PATCH_CONTENT_TYPE,
  PROBLEM_CONTENT_TYPE,
  type CreateSessionResponseDto,
  type SessionResponseDto,
} from '@session/rest-contract';

/** What became of one HTTP request: a status (and problem code), or the error that stood in for an answer. */
export interface Outcome {
  readonly op: string;
  readonly requestId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status?: number;
  /** `code` of a problem+json answer. */
  readonly code?: string;
  /** Transport failure instead of an answer: ECONNREFUSED, ECONNRESET, `hang` (no answer in time), ... */
  readonly error?: string;
  readonly body?: unknown;
}

export const tookMs = (o: Outcome): number => o.endedAt - o.startedAt;

/** The answer the gateway owes while the session service or its database is away. */
export const isUnavailable = (o: Outcome): boolean => o.status === 503 && o.code === 'session_service_unavailable';

export interface RestRequest {
  readonly op: string;
  readonly method?: string;
  readonly path: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly requestId: string;
  /** How long the client waits for an answer before it records `hang` (default NO_ANSWER_MS). */
  readonly timeoutMs?: number;
}

/** Longer than any deadline in the stack: reaching it means the gateway hung (or never read the request). */
export const NO_ANSWER_MS = 10_000;

function transportError(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError') return 'hang';
  return e.cause?.code ?? e.cause?.name ?? e.name ?? 'error';
}

export async function send(baseUrl: string, request: RestRequest): Promise<Outcome> {
  const headers: Record<string, string> = { 'x-request-id': request.requestId, accept: 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  const base = { op: request.op, requestId: request.requestId, startedAt: Date.now() };
  try {
    const res = await fetch(`${baseUrl}${request.path}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs ?? NO_ANSWER_MS),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text (e.g. a 503 page written while closing)
    }
    const code = res.headers.get('content-type')?.startsWith(PROBLEM_CONTENT_TYPE) ? (body as { code?: string }).code : undefined;
    return { ...base, endedAt: Date.now(), status: res.status, code, body };
  } catch (err) {
    return { ...base, endedAt: Date.now(), error: transportError(err) };
  }
}

export interface RestSession {
  readonly token: string;
  readonly sessionId: string;
}

export async function createSession(baseUrl: string, requestId: string): Promise<RestSession> {
  const outcome = await send(baseUrl, { op: 'create', method: 'POST', path: '/api/sessions', body: {}, requestId });
  if (outcome.status !== 201) throw new Error(`creating a session answered ${outcome.status ?? outcome.error}`);
  const { token, session } = outcome.body as CreateSessionResponseDto;
  return { token, sessionId: session.session_id };
}

export function readSession(baseUrl: string, session: RestSession, requestId: string, timeoutMs?: number): Promise<Outcome> {
  return send(baseUrl, { op: 'get', path: '/api/sessions/current', token: session.token, requestId, timeoutMs });
}

export function patchData(
  baseUrl: string,
  session: RestSession,
  patch: Record<string, unknown>,
  requestId: string,
  timeoutMs?: number,
): Promise<Outcome> {
  return send(baseUrl, {
    op: 'patch',
    method: 'PATCH',
    path: '/api/sessions/current/data',
    token: session.token,
    body: patch,
    contentType: MERGE_PATCH_CONTENT_TYPE,
    requestId,
    timeoutMs,
  });
}

/** The stored user_data of a session, read through the gateway; null unless it answers 200. */
export async function readUserData(baseUrl: string, session: RestSession, requestId: string): Promise<Record<string, unknown> | null> {
  const outcome = await readSession(baseUrl, session, requestId);
  return outcome.status === 200 ? ((outcome.body as SessionResponseDto).session.user_data as Record<string, unknown>) : null;
}
