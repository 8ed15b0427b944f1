import type { Device, Session__Output } from '@session/proto';
import type { CallContext } from './call-context';

export interface BoundSession {
  readonly token: string;
  readonly session: Session__Output;
}

/**
 * What this service asks of session.v1 (sessions/session-service-port.ts). The session service's
 * own refusals (an invalid token, a sign-in too old) come back as UpstreamRefusal with its codes.
 */
export interface SessionPort {
  /** Signs the session of `token` in to `accountId`; the token rotates. */
  bindUser(
    request: { token: string; accountId: string; rememberMe: boolean; device: Device | undefined },
    ctx: CallContext,
  ): Promise<BoundSession>;
  /** The live session of `token`, refused (reauthentication_required) when its sign-in is older than `maxAgeMs`. */
  validateRecentSignIn(token: string, maxAgeMs: number, ctx: CallContext): Promise<Session__Output>;
  /** Signs the user out everywhere but `exceptSessionId`; the number of sessions ended. */
  revokeOtherSessions(accountId: string, exceptSessionId: string, ctx: CallContext): Promise<number>;
}
