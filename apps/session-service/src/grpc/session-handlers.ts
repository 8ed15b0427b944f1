import type { SessionServiceHandlers } from '@session/proto';
import type { CallContext } from '../domain/call-context';
import { BadRequestError } from '../domain/errors';
import type { Revocation, SessionService } from '../domain/session-service';
import { readUserData, readVersion, toProtoSession } from './proto-mapping';
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
      const issued = await service.create(readUserData(req.user_data), ctx);
      metrics.sessionCreated();
      lifecycle(ctx, issued.session.sessionId, 'session created');
      return { token: issued.token, session: toProtoSession(issued.session) };
    }),

    ValidateSession: wrap('ValidateSession', async (req, ctx) => {
      const session = await service.validate(req.token, req.extend ?? true, ctx);
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
      const issued = await service.bindUser(req.token, req.user_id, ctx);
      lifecycle(ctx, issued.session.sessionId, 'session bound to user');
      return { token: issued.token, session: toProtoSession(issued.session) };
    }),

    ListUserSessions: wrap('ListUserSessions', async (req, ctx) => {
      const page = await service.listForUser(req.user_id, { pageSize: req.page_size, pageToken: req.page_token, includeUserData: req.include_user_data }, ctx);
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
