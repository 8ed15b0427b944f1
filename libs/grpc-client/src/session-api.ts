import { loadSessionPackage, type SessionFeedServiceClient, type SessionPackageGrpcType, type SessionServiceClient } from '@session/proto';
import { RpcApi, type UnaryRpcs } from './rpc-api';

export type { CallObserver, CallOptions, UnaryRpcs } from './rpc-api';

type SessionV1 = SessionPackageGrpcType['session']['v1'];

/** createSession, validateSession, ...: every unary RPC of session.v1.SessionService. */
export type SessionServiceRpcs = UnaryRpcs<SessionV1['SessionService']['service'], SessionServiceClient>;

/** touchSessions: the unary RPC of session.v1.SessionFeedService (the change stream stays a raw client call). */
export type SessionFeedRpcs = UnaryRpcs<SessionV1['SessionFeedService']['service'], SessionFeedServiceClient>;

// The interfaces give the methods RpcApi makes from the definition their types (see rpc-api.ts).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SessionApi extends SessionServiceRpcs {
  readonly client: SessionServiceClient;
}

/** Promise wrapper over the generated SessionService client; every call carries a deadline. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SessionApi extends RpcApi<SessionServiceClient> {
  constructor(client: SessionServiceClient, defaultTimeoutMs = 2_000) {
    super(client, loadSessionPackage().proto.session.v1.SessionService.service, defaultTimeoutMs);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SessionFeedApi extends SessionFeedRpcs {
  readonly client: SessionFeedServiceClient;
}

/** Promise wrapper over the generated SessionFeedService client's unary RPCs. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SessionFeedApi extends RpcApi<SessionFeedServiceClient> {
  constructor(client: SessionFeedServiceClient, defaultTimeoutMs = 2_000) {
    super(client, loadSessionPackage().proto.session.v1.SessionFeedService.service, defaultTimeoutMs);
  }
}
