import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import { classifyDriverError } from '../db/driver-errors';
import { timeLeftMs, type CallContext } from '../domain/call-context';
import { DeadlineExceededError, InternalError, SessionServiceError, SessionStoreTimeoutError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import type { ServiceMetrics } from '../observability/metrics';
import { readCaller } from './caller-auth';
import { readRequestId } from './request-id';

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
 * deadline less a margin; undefined without a deadline. Each database operation is bounded too
 * (SessionRepository), but a call can also spend its time waiting for the per-session lock behind
 * another call stuck on the database, or in several steps; a caller that hits its own deadline
 * answers 504 by itself, so this service speaks first.
 */
export function answerWithinMs(deadline: number, now: number): number | undefined {
  if (!Number.isFinite(deadline)) return undefined;
  return Math.max(0, timeLeftMs(deadline, now, ANSWER_MARGIN_MS));
}

/** The one place where any thrown value becomes a typed service error. */
export function toServiceError(err: unknown): SessionServiceError {
  if (err instanceof SessionServiceError) return err;
  return classifyDriverError(err) ?? new InternalError();
}

export function toGrpcError(error: SessionServiceError): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, error.errorCode);
  return { code: error.grpcStatus, details: error.message, metadata };
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
      const ctx: CallContext = { requestId: readRequestId(call.metadata), deadline: deadlineMs(call.getDeadline()) };
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
          const seconds = (performance.now() - started) / 1_000;
          const code = grpc.status[error.grpcStatus];
          metrics.rpcHandled(method, code, seconds);
          if (error.grpcStatus === grpc.status.UNAUTHENTICATED) metrics.sessionRejected(error.errorCode);
          const fields = { requestId: ctx.requestId, caller, method, code, errorCode: error.errorCode, ms: seconds * 1_000 };
          if (error instanceof InternalError) logger.error({ ...fields, err: thrown }, 'rpc failed');
          else if (error.grpcStatus === grpc.status.UNAVAILABLE) logger.warn({ ...fields, err: thrown }, 'rpc failed: database unavailable');
          else logger.info(fields, 'rpc rejected');
          callback(toGrpcError(error));
        });
      // Only reachable if grpc-js itself throws while answering; logged so nothing fails silently.
      const answerFailed = (err: unknown) => logger.error({ requestId: ctx.requestId, caller, method, err }, 'rpc answer failed');
      // Work for a caller that has already given up would only add load.
      if (Date.now() >= ctx.deadline) return fail(new DeadlineExceededError());
      const budget = answerWithinMs(ctx.deadline, Date.now());
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
              if (logger.isLevelEnabled('debug')) logger.debug({ requestId: ctx.requestId, caller, method, code: 'OK', ms: seconds * 1_000 }, 'rpc handled');
              callback(null, response);
            }),
          fail,
        )
        .catch(answerFailed);
    };
  };
}
