import { PROBLEM_CODES, type Problem, type ProblemCode, type SessionDto } from '@session/rest-contract';
import { SessionApiError } from './session-api-error';
import type { ResponseLike, SessionResult } from './session-rest-client';

// Reading the gateway's answers: bodies, sessions and problem+json errors.

const CODES: ReadonlySet<string> = new Set(PROBLEM_CODES);

/** The `{ session }` of an answer (the token some answers carry is dropped: the browser holds it only as the HttpOnly cookie). */
export async function sessionResult(response: ResponseLike): Promise<SessionResult> {
  const body = await readJson(response);
  const session = (body as { session?: unknown } | null)?.session;
  if (!isSessionDto(session)) throw new SessionApiError(response.status, 'bad_response', 'The session API answered without a session.');
  const date = Date.parse(response.headers.get('date') ?? '');
  return { session, etag: response.headers.get('etag'), serverTime: Number.isNaN(date) ? null : date };
}

export async function readJson(response: ResponseLike): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new SessionApiError(response.status, 'bad_response', 'The session API answered with something that is not JSON.');
  }
}

export async function problemError(response: ResponseLike): Promise<SessionApiError> {
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
