/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging -- each interface below types the
   methods RpcApi makes from the service definition at run time (one per unary RPC); the class cannot
   declare them itself without listing every RPC by hand, and session-api.spec.ts checks both agree. */
import { loadSessionPackage, type SessionFeedServiceClient, type SessionPackageGrpcType, type SessionServiceClient } from '@session/proto';
import { RpcApi, type UnaryRpcs } from './rpc-api';

type SessionV1 = SessionPackageGrpcType['session']['v1'];

/** createSession, validateSession, ...: every unary RPC of session.v1.SessionService. */
export type SessionServiceRpcs = UnaryRpcs<SessionV1['SessionService']['service'], SessionServiceClient>;

/** touchSessions: the unary RPC of session.v1.SessionFeedService (the change stream stays a raw client call). */
export type SessionFeedRpcs = UnaryRpcs<SessionV1['SessionFeedService']['service'], SessionFeedServiceClient>;

export interface SessionApi extends SessionServiceRpcs {
  readonly client: SessionServiceClient;
}

/** Promise wrapper over the generated SessionService client; every call carries a deadline. */
export class SessionApi extends RpcApi<SessionServiceClient> {
  constructor(client: SessionServiceClient, defaultTimeoutMs = 2_000) {
    super(client, loadSessionPackage().proto.session.v1.SessionService.service, defaultTimeoutMs);
  }
}

export interface SessionFeedApi extends SessionFeedRpcs {
  readonly client: SessionFeedServiceClient;
}

/** Promise wrapper over the generated SessionFeedService client's unary RPCs. */
export class SessionFeedApi extends RpcApi<SessionFeedServiceClient> {
  constructor(client: SessionFeedServiceClient, defaultTimeoutMs = 2_000) {
    super(client, loadSessionPackage().proto.session.v1.SessionFeedService.service, defaultTimeoutMs);
  }
}
