import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { readCaller, readRequestId } from '@session/grpc-server';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import type { CallContext } from '../domain/call-context';
import { ACCOUNTS_ERRORS, AccountsError, UpstreamRefusal } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { AccountsMetrics } from '../observability/metrics';

export type RpcHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/** Trailer metadata of a rate_limited answer: seconds until an attempt may succeed (the gateway's Retry-After). */
export const RETRY_AFTER_METADATA_KEY = 'retry-after';
/** Kept back from the caller's deadline to deliver the answer (at most a fifth of the time left). */
const ANSWER_MARGIN_MS = 200;

/** Whatever was thrown, as the status the caller gets. Driver and session-service details stay in the logs. */
export function toStatus(thrown: unknown): { status: grpc.status; code: string; message: string; retryAfter?: number } {
  if (thrown instanceof UpstreamRefusal) return { status: thrown.status, code: thrown.code, message: thrown.message };
  const error = thrown instanceof AccountsError ? thrown : new AccountsError('internal', { cause: thrown });
  return { status: ACCOUNTS_ERRORS[error.code].status, code: error.code, message: error.message, retryAfter: error.retryAfterSeconds };
}

/**
 * Wraps every unary handler: request id, a CallContext ending shortly before the caller's deadline
 * (a watchdog answers UNAVAILABLE then, so the caller hears us rather than its own timeout),
 * metrics, one log line per failed call, and `x-error-code` on every error. The request itself is
 * never logged: it holds a password and a token.
 */
export function createRpcWrapper({ logger, metrics }: { logger: Logger; metrics: AccountsMetrics }) {
  return function wrap<Req, Res>(method: string, handler: RpcHandler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const started = performance.now();
      const arrived = Date.now();
      const callerDeadline = Number(call.getDeadline() instanceof Date ? (call.getDeadline() as Date).getTime() : call.getDeadline());
      const remaining = callerDeadline - arrived;
      const budget = Number.isFinite(remaining) ? Math.max(0, remaining - Math.min(ANSWER_MARGIN_MS, remaining / 5)) : Infinity;
      const ctx: CallContext = { requestId: readRequestId(call.metadata), deadline: arrived + budget };
      const caller = readCaller(call.metadata);
      let answered = false;
      let watchdog: NodeJS.Timeout | undefined;
      const finish = (err: unknown, response?: Res) => {
        if (answered) return;
        answered = true;
        clearTimeout(watchdog);
        const seconds = (performance.now() - started) / 1_000;
        if (err === undefined) {
          metrics.rpcHandled(method, 'OK', seconds);
          logger.debug({ requestId: ctx.requestId, caller, method, ms: seconds * 1_000 }, 'rpc handled');
          callback(null, response);
          return;
        }
        const answer = toStatus(err);
        metrics.rpcHandled(method, grpc.status[answer.status], seconds);
        const fields = {
          requestId: ctx.requestId,
          caller,
          method,
          code: grpc.status[answer.status],
          errorCode: answer.code,
          ms: seconds * 1_000,
        };
        const cause = err instanceof Error ? (err.cause ?? err) : err;
        if (answer.status === grpc.status.INTERNAL) logger.error({ ...fields, err: cause }, 'rpc failed');
        else if (answer.status === grpc.status.UNAVAILABLE) logger.warn({ ...fields, err: cause }, 'rpc failed: dependency unavailable');
        else logger.info(fields, 'rpc rejected');
        const metadata = new grpc.Metadata();
        metadata.set(ERROR_CODE_METADATA_KEY, answer.code);
        if (answer.retryAfter !== undefined) metadata.set(RETRY_AFTER_METADATA_KEY, String(answer.retryAfter));
        callback({ code: answer.status, details: answer.message, metadata });
      };
      if (budget <= 0) return finish(new AccountsError('timeout'));
      if (Number.isFinite(budget))
        watchdog = setTimeout(
          () => finish(new AccountsError('unavailable', { message: 'the call could not be completed in time' })),
          budget,
        );
      handler(call.request, ctx).then(
        (response) => finish(undefined, response),
        (err: unknown) => finish(err),
      );
    };
  };
}
