import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import type { CallContext } from '../domain/call-context';
import { DeadlineExceededError, InternalError, SessionServiceError, SessionStoreTimeoutError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { ServiceMetrics } from '../observability/metrics';
import { readCaller } from '@session/grpc-server';
import { GRPC_ERROR_MAPPING } from './error-status-table';
import { readRequestId } from '@session/grpc-server';

export interface RpcDependencies {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

export type RpcHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

function deadlineMs(deadline: grpc.Deadline): number {
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

/** At most this much of a call's time is kept back to deliver the answer (at most a fifth of it). */
export const ANSWER_MARGIN_MS = 250;

/**
 * How long the handler may take before the call is answered UNAVAILABLE anyway: the time to the
 * caller's deadline less the answer margin (at most a fifth of what remains); undefined without a
 * deadline. The handler's CallContext ends at the same moment, so the repository bounds each
 * database operation by it; the watchdog covers what the repository cannot see, such as waiting for
 * the per-session lock behind another call stuck on the database. A caller that hits its own
 * deadline answers 504 by itself, so this service speaks first.
 */
export function answerWithinMs(deadline: number, now: number): number | undefined {
  if (!Number.isFinite(deadline)) return undefined;
  const remaining = deadline - now;
  return Math.max(0, remaining - Math.min(ANSWER_MARGIN_MS, remaining / 5));
}

/** The one place where any thrown value becomes a typed service error: the repository already classified the driver's. */
export function toServiceError(err: unknown): SessionServiceError {
  return err instanceof SessionServiceError ? err : new InternalError(undefined, { cause: err });
}

export function toGrpcError(error: SessionServiceError): Partial<grpc.StatusObject> {
  const { status, code } = GRPC_ERROR_MAPPING[error.reason];
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, code);
  return { code: status, details: error.message, metadata };
}

/**
 * Wraps every unary handler: request id, deadline check, timing, counting,
 * logging, and conversion of whatever was thrown into a gRPC status with an
 * `x-error-code`. Driver errors are logged here and never reach the caller.
 */
export function createRpcWrapper({ logger, metrics }: RpcDependencies) {
  return function wrap<Req, Res>(method: string, handler: RpcHandler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const started = performance.now();
      const callerDeadline = deadlineMs(call.getDeadline());
      const arrived = Date.now();
      const budget = answerWithinMs(callerDeadline, arrived);
      // The work ends where the watchdog answers: the repository checks this before each database call.
      const ctx: CallContext = { requestId: readRequestId(call.metadata), deadline: budget === undefined ? Infinity : arrived + budget };
      // Set by the caller interceptor: every log line of a call names who made it.
      const caller = readCaller(call.metadata);
      let answered = false;
      let watchdog: NodeJS.Timeout | undefined;
      // The first answer wins (the handler's or the watchdog's); a late one is dropped.
      const first = (answer: () => void) => {
        if (answered) return;
        answered = true;
        clearTimeout(watchdog);
        answer();
      };
      const fail = (thrown: unknown) =>
        first(() => {
          const error = toServiceError(thrown);
          const mapping = GRPC_ERROR_MAPPING[error.reason];
          const seconds = (performance.now() - started) / 1_000;
          const code = grpc.status[mapping.status];
          metrics.rpcHandled(method, code, seconds);
          if (mapping.status === grpc.status.UNAUTHENTICATED) metrics.sessionRejected(mapping.code);
          const fields = { requestId: ctx.requestId, caller, method, code, errorCode: mapping.code, ms: seconds * 1_000 };
          // The driver's own error, when there was one, is the useful part of the log line.
          const err = error.cause ?? thrown;
          if (error instanceof InternalError) logger.error({ ...fields, err }, 'rpc failed');
          else if (mapping.status === grpc.status.UNAVAILABLE) logger.warn({ ...fields, err }, 'rpc failed: database unavailable');
          else logger.info(fields, 'rpc rejected');
          callback(toGrpcError(error));
        });
      // Only reachable if grpc-js itself throws while answering; logged so nothing fails silently.
      const answerFailed = (err: unknown) => logger.error({ requestId: ctx.requestId, caller, method, err }, 'rpc answer failed');
      // Work for a caller that has already given up would only add load.
      if (arrived >= callerDeadline) return fail(new DeadlineExceededError());
      if (budget !== undefined) {
        watchdog = setTimeout(() => {
          try {
            fail(new SessionStoreTimeoutError());
          } catch (err) {
            answerFailed(err);
          }
        }, budget);
      }
      handler(call.request, ctx)
        .then(
          (response) =>
            first(() => {
              const seconds = (performance.now() - started) / 1_000;
              metrics.rpcHandled(method, 'OK', seconds);
              if (logger.isLevelEnabled('debug'))
                logger.debug({ requestId: ctx.requestId, caller, method, code: 'OK', ms: seconds * 1_000 }, 'rpc handled');
              callback(null, response);
            }),
          fail,
        )
        .catch(answerFailed);
    };
  };
}
