import type { SessionServiceHandlers } from '@session/proto';
import type { CallContext } from '../domain/call-context';
import { BadRequestError } from '../domain/errors';
import type { Revocation, SessionService } from '../domain/session-service';
import { readClaims, readDevice, readDurationMs, readUserData, readVersion, toProtoSession } from './proto-mapping';
import { createRpcWrapper, type RpcDependencies } from './unary-wrapper';

/**
 * session.v1.SessionService handlers: proto in, domain call, proto out.
 * Lifecycle events are logged here with the session id only, never a token.
 */
export function createSessionHandlers(service: SessionService, deps: RpcDependencies): SessionServiceHandlers {
  const { logger, metrics } = deps;
  const wrap = createRpcWrapper(deps);
  const lifecycle = (ctx: CallContext, sessionId: string, msg: string) => logger.info({ requestId: ctx.requestId, sessionId }, msg);

  return {
    CreateSession: wrap('CreateSession', async (req, ctx) => {
      const issued = await service.create(readUserData(req.user_data), ctx, readDevice(req.device));
      metrics.sessionCreated();
      lifecycle(ctx, issued.session.sessionId, 'session created');
      return { token: issued.token, session: toProtoSession(issued.session) };
    }),

    ValidateSession: wrap('ValidateSession', async (req, ctx) => {
      const session = await service.validate(req.token, req.extend ?? true, ctx, readDurationMs(req.max_authentication_age));
      metrics.sessionValidated();
      return { session: toProtoSession(session) };
    }),

    GetSession: wrap('GetSession', async (req, ctx) => ({ session: toProtoSession(await service.get(req.session_id, ctx)) })),

    UpdateSessionData: wrap('UpdateSessionData', async (req, ctx) => {
      const session = await service.updateData(
        req.token,
        {
          userData: readUserData(req.user_data) ?? {},
          mode: req.mode === 'UPDATE_MODE_REPLACE' ? 'replace' : 'merge',
          expectedVersion: readVersion(req.expected_version),
        },
        ctx,
      );
      return { session: toProtoSession(session) };
    }),

    TouchSession: wrap('TouchSession', async (req, ctx) => ({ session: toProtoSession(await service.touch(req.token, ctx)) })),

    RevokeSession: wrap('RevokeSession', async (req, ctx) => {
      let outcome: Revocation;
      if (req.target === 'token') outcome = await service.revokeByToken(String(req.token), ctx);
      else if (req.target === 'session_id') outcome = await service.revokeById(String(req.session_id), req.user_id || null, ctx);
      else throw new BadRequestError('give either token or session_id');
      if (outcome.revoked) {
        metrics.sessionsRevoked(1);
        lifecycle(ctx, outcome.sessionId, 'session revoked');
      }
      return { revoked: outcome.revoked };
    }),

    BindUser: wrap('BindUser', async (req, ctx) => {
      const bound = await service.bindUser(req.token, req.user_id, ctx, {
        authenticationMethod: req.authentication_method,
        rememberMe: req.remember_me,
        device: readDevice(req.device),
        claims: readClaims(req.claims),
      });
      lifecycle(ctx, bound.session.sessionId, 'session bound to user');
      if (bound.evicted.length > 0) metrics.sessionsRevoked(bound.evicted.length);
      for (const id of bound.evicted) lifecycle(ctx, id, 'session revoked: over the per-user limit');
      if (bound.evictionError !== undefined)
        logger.warn(
          { requestId: ctx.requestId, err: bound.evictionError },
          'per-user session limit not enforced on this bind; the next bind tries again',
        );
      return { token: bound.token, session: toProtoSession(bound.session) };
    }),

    SetSessionClaims: wrap('SetSessionClaims', async (req, ctx) => {
      const session = await service.setClaims(req.session_id, readClaims(req.claims), ctx);
      lifecycle(ctx, session.sessionId, 'session claims set');
      return { session: toProtoSession(session) };
    }),

    ListUserSessions: wrap('ListUserSessions', async (req, ctx) => {
      const page = await service.listForUser(
        req.user_id,
        { pageSize: req.page_size, pageToken: req.page_token, includeUserData: req.include_user_data },
        ctx,
      );
      return { sessions: page.sessions.map((s) => toProtoSession(s, req.include_user_data)), next_page_token: page.nextPageToken };
    }),

    RevokeUserSessions: wrap('RevokeUserSessions', async (req, ctx) => {
      const revoked = await service.revokeAllForUser(req.user_id, req.except_session_id || null, ctx);
      metrics.sessionsRevoked(revoked.length);
      for (const id of revoked) lifecycle(ctx, id, 'session revoked');
      return { revoked_count: revoked.length };
    }),
  };
}
