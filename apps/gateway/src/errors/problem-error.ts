import type { ProblemCode } from '@session/rest-contract';

/**
 * An error the gateway decides on itself (before or instead of a gRPC call).
 * The error handler turns it into problem+json; `headers` ride along (e.g.
 * Retry-After on a 429).
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}
