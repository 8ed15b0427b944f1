import * as grpc from '@grpc/grpc-js';
import type { SessionApi } from '@session/grpc-client';
import { ERROR_CODE_METADATA_KEY, jsonToStruct, type Device } from '@session/proto';
import { remainingMs, type CallContext } from '../domain/call-context';
import { AccountsError, UpstreamRefusal } from '../domain/errors';
import type { BoundSession, SessionPort } from '../domain/session-port';

/** How a password sign-in is recorded on the session (authenticated_at + authentication_method). */
export const AUTHENTICATION_METHOD = 'password';
/** The trusted claims every signed-in session starts with; roles beyond `user` are granted elsewhere (SetSessionClaims). */
export const SIGNED_IN_CLAIMS = { roles: ['user'] } as const;

// The session service's answers about the caller's own session, passed on unchanged.
const PASSED_ON = new Set([grpc.status.UNAUTHENTICATED, grpc.status.FAILED_PRECONDITION, grpc.status.INVALID_ARGUMENT]);

function errorCode(err: grpc.ServiceError): string | undefined {
  const value = err.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A failed call to the session service: its verdict on the caller's session (bad token, sign-in
 * too old, bad device field) passes through with its code; the service being down or slow is our
 * UNAVAILABLE; anything else (this service's key refused, say) is a fault of ours, INTERNAL.
 */
export function fromSessionService(err: unknown): Error {
  const status = (err as grpc.ServiceError).code;
  const code = errorCode(err as grpc.ServiceError);
  // The caller-auth codes mean *this* service's key is wrong: never the user's business.
  if (code && PASSED_ON.has(status) && !code.startsWith('caller_'))
    return new UpstreamRefusal(status, code, (err as grpc.ServiceError).details);
  if (status === grpc.status.UNAVAILABLE || status === grpc.status.DEADLINE_EXCEEDED)
    return new AccountsError('unavailable', { cause: err });
  return new AccountsError('internal', { cause: err });
}

/** SessionPort over session.v1: each call carries the request id and at most the time the call has left. */
export class SessionServicePort implements SessionPort {
  constructor(
    private readonly api: SessionApi,
    private readonly deadlineMs: number,
  ) {}

  async bindUser(
    request: { token: string; accountId: string; rememberMe: boolean; device: Device | undefined },
    ctx: CallContext,
  ): Promise<BoundSession> {
    const res = await this.call(ctx, (options) =>
      this.api.bindUser(
        {
          token: request.token,
          user_id: request.accountId,
          authentication_method: AUTHENTICATION_METHOD,
          remember_me: request.rememberMe,
          device: request.device,
          claims: jsonToStruct({ roles: [...SIGNED_IN_CLAIMS.roles] }),
        },
        options,
      ),
    );
    if (!res.session) throw new AccountsError('internal', { message: 'BindUser answered without a session' });
    return { token: res.token, session: res.session };
  }

  async validateRecentSignIn(token: string, maxAgeMs: number, ctx: CallContext) {
    const seconds = Math.floor(maxAgeMs / 1_000);
    const res = await this.call(ctx, (options) =>
      this.api.validateSession(
        { token, extend: false, max_authentication_age: { seconds: String(seconds), nanos: (maxAgeMs % 1_000) * 1_000_000 } },
        options,
      ),
    );
    if (!res.session) throw new AccountsError('internal', { message: 'ValidateSession answered without a session' });
    return res.session;
  }

  async revokeOtherSessions(accountId: string, exceptSessionId: string, ctx: CallContext): Promise<number> {
    const res = await this.call(ctx, (options) =>
      this.api.revokeUserSessions({ user_id: accountId, except_session_id: exceptSessionId }, options),
    );
    return Number(res.revoked_count);
  }

  private async call<T>(ctx: CallContext, rpc: (options: { timeoutMs: number; requestId: string }) => Promise<T>): Promise<T> {
    if (Date.now() >= ctx.deadline) throw new AccountsError('timeout');
    try {
      return await rpc({ timeoutMs: remainingMs(ctx, this.deadlineMs), requestId: ctx.requestId });
    } catch (err) {
      throw fromSessionService(err);
    }
  }
}
