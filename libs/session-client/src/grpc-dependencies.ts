import * as grpc from '@grpc/grpc-js';
import { apiKeyInterceptor, type CallOptions } from '@session/grpc-client';
import {
  loadSessionPackage,
  type TouchSessionsResponse__Output,
  type ValidateSessionRequest,
  type ValidateSessionResponse__Output,
} from '@session/proto';
import type { ValidateFn } from './cached-validator';
import type { TouchSessionsFn } from './touch-batcher';
import { fromProtoSession } from './validated-session';

/** The one call of the session client (libs/grpc-client SessionApi) a miss needs. */
export interface ValidatesSessions {
  validateSession(request: ValidateSessionRequest, options?: CallOptions): Promise<ValidateSessionResponse__Output>;
}

/**
 * A miss validates as the gateway always did: ValidateSession, extending the idle expiry; the
 * validator's context is the call options (request id). `{ extend: false }` gives the refresh-ahead
 * function: a background revalidation is not activity, so it must not write the session.
 */
export function validateOverGrpc(api: ValidatesSessions, { extend = true }: { extend?: boolean } = {}): ValidateFn {
  // The field is optional and defaults to extending, so a miss sends the request it always sent.
  const request = (token: string): ValidateSessionRequest => (extend ? { token } : { token, extend: false });
  return async (token, context) => {
    const { session } = await api.validateSession(request(token), context as CallOptions | undefined);
    if (!session) throw Object.assign(new Error('ValidateSession answered without a session'), { code: grpc.status.INTERNAL });
    return fromProtoSession(session);
  };
}

export interface TouchOverGrpcOptions {
  /** The session service (any replica: the touch is a database write). */
  readonly address: string;
  readonly apiKey?: string;
  readonly credentials?: grpc.ChannelCredentials;
  readonly deadlineMs: number;
}

/** TouchSessions over its own channel to the feed service; close() when done. */
export function touchOverGrpc(options: TouchOverGrpcOptions): { touch: TouchSessionsFn; close: () => void } {
  const { proto } = loadSessionPackage();
  const client = new proto.session.v1.SessionFeedService(options.address, options.credentials ?? grpc.credentials.createInsecure(), {
    interceptors: options.apiKey ? [apiKeyInterceptor(options.apiKey)] : [],
  });
  const touch: TouchSessionsFn = (sessionIds) =>
    new Promise<TouchSessionsResponse__Output>((resolve, reject) => {
      client.TouchSessions({ session_ids: sessionIds }, { deadline: Date.now() + options.deadlineMs }, (err, res) =>
        err || !res ? reject(err) : resolve(res),
      );
    });
  return { touch, close: () => client.close() };
}
