import * as grpc from '@grpc/grpc-js';
import type {
  BindUserRequest,
  BindUserResponse__Output,
  CreateSessionRequest,
  CreateSessionResponse__Output,
  GetSessionRequest,
  GetSessionResponse__Output,
  ListUserSessionsRequest,
  ListUserSessionsResponse__Output,
  RevokeSessionRequest,
  RevokeSessionResponse__Output,
  RevokeUserSessionsRequest,
  RevokeUserSessionsResponse__Output,
  SessionServiceClient,
  TouchSessionRequest,
  TouchSessionResponse__Output,
  UpdateSessionDataRequest,
  UpdateSessionDataResponse__Output,
  ValidateSessionRequest,
  ValidateSessionResponse__Output,
} from '@session/proto';

export interface CallOptions {
  /** Milliseconds from now; every call carries a deadline. */
  timeoutMs?: number;
  /** Propagated as `x-request-id` metadata so both services log the same id. */
  requestId?: string;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<Res>,
) => grpc.ClientUnaryCall;

/**
 * Promise wrapper over the generated client. The generated methods are
 * overloaded, so each one is bound here with explicit request/response types.
 */
export class SessionApi {
  constructor(
    readonly client: SessionServiceClient,
    private readonly defaultTimeoutMs = 2_000,
  ) {}

  private call<Req, Res>(method: Unary<Req, Res>, request: Req, options: CallOptions = {}): Promise<Res> {
    const metadata = new grpc.Metadata();
    if (options.requestId) metadata.set('x-request-id', options.requestId);
    const deadline = Date.now() + (options.timeoutMs ?? this.defaultTimeoutMs);
    return new Promise<Res>((resolve, reject) => {
      method.call(this.client, request, metadata, { deadline }, (err, res) => (err ? reject(err) : resolve(res as Res)));
    });
  }

  createSession(req: CreateSessionRequest, o?: CallOptions) {
    return this.call<CreateSessionRequest, CreateSessionResponse__Output>(this.client.CreateSession as never, req, o);
  }
  validateSession(req: ValidateSessionRequest, o?: CallOptions) {
    return this.call<ValidateSessionRequest, ValidateSessionResponse__Output>(this.client.ValidateSession as never, req, o);
  }
  getSession(req: GetSessionRequest, o?: CallOptions) {
    return this.call<GetSessionRequest, GetSessionResponse__Output>(this.client.GetSession as never, req, o);
  }
  updateSessionData(req: UpdateSessionDataRequest, o?: CallOptions) {
    return this.call<UpdateSessionDataRequest, UpdateSessionDataResponse__Output>(this.client.UpdateSessionData as never, req, o);
  }
  touchSession(req: TouchSessionRequest, o?: CallOptions) {
    return this.call<TouchSessionRequest, TouchSessionResponse__Output>(this.client.TouchSession as never, req, o);
  }
  revokeSession(req: RevokeSessionRequest, o?: CallOptions) {
    return this.call<RevokeSessionRequest, RevokeSessionResponse__Output>(this.client.RevokeSession as never, req, o);
  }
  bindUser(req: BindUserRequest, o?: CallOptions) {
    return this.call<BindUserRequest, BindUserResponse__Output>(this.client.BindUser as never, req, o);
  }
  listUserSessions(req: ListUserSessionsRequest, o?: CallOptions) {
    return this.call<ListUserSessionsRequest, ListUserSessionsResponse__Output>(this.client.ListUserSessions as never, req, o);
  }
  revokeUserSessions(req: RevokeUserSessionsRequest, o?: CallOptions) {
    return this.call<RevokeUserSessionsRequest, RevokeUserSessionsResponse__Output>(this.client.RevokeUserSessions as never, req, o);
  }

  close(): void {
    this.client.close();
  }
}
