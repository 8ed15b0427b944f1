import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, type Problem, type ProblemCode } from '@session/rest-contract';
import type { HttpResponse } from './http-client';

/** The problem codes each client-error status may carry (docs/contracts.md#problem-codes). */
export const CODES_BY_STATUS: Readonly<Record<number, readonly ProblemCode[]>> = {
  400: ['bad_request', 'invalid_user_data', 'duplicate_session_cookie'],
  401: ['unauthenticated', 'invalid_token', 'session_not_found', 'session_expired', 'session_revoked'],
  403: ['forbidden_origin', 'forbidden'],
  404: ['not_found', 'session_not_found'],
  409: ['version_conflict'],
  412: ['precondition_failed'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  429: ['rate_limited'],
};

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Whatever was sent: never a 5xx, every error a problem+json body whose
 * status matches and whose `code` is a stable one for that status, and a
 * request id that is safe to log and quote.
 */
export function expectWellFormedAnswer(res: HttpResponse): Problem | null {
  expect(res.status).toBeLessThan(500);
  expect(res.headers['x-request-id']).toMatch(SAFE_REQUEST_ID);
  if (res.status < 400) return null;
  expect(res.headers['content-type']).toMatch(new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}`));
  const problem = JSON.parse(res.body) as Problem;
  expect(problem.status).toBe(res.status);
  expect(PROBLEM_CODES).toContain(problem.code);
  expect(CODES_BY_STATUS[res.status] ?? []).toContain(problem.code);
  expect(problem.request_id).toBe(res.headers['x-request-id']);
  return problem;
}

/** `{status, code}` of an answer, for comparing with a prediction in one assertion. */
export function outcomeOf(res: HttpResponse): { status: number; code?: string } {
  const problem = expectWellFormedAnswer(res);
  return problem ? { status: res.status, code: problem.code } : { status: res.status };
}

/**
 * Every (operation, status) pair the properties saw, so a spec can check
 * each one is declared in the OpenAPI document.
 */
export class ObservedStatuses {
  private readonly seen = new Map<string, Set<number>>();

  record(operation: string, status: number): void {
    const set = this.seen.get(operation) ?? new Set<number>();
    set.add(status);
    this.seen.set(operation, set);
  }

  entries(): [string, number[]][] {
    return [...this.seen].map(([op, statuses]) => [op, [...statuses].sort()]);
  }
}
