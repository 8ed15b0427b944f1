import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';
import { authFailureOf, bearerToken, type SessionAuthMode } from './auth-token';
import { needsReauthentication, REAUTHENTICATION_REQUIRED } from './authentication-age';
import type { ValidatedSession } from './validated-session';

export interface GrpcSessionAuthOptions {
  readonly validator: { validate(token: string): Promise<ValidatedSession> };
  /** By full method path (`/pkg.Service/Method`); methods not listed get defaultMode. */
  readonly methods?: Readonly<Record<string, SessionAuthMode>>;
  /** 'required' unless told otherwise, so a method left out fails closed. */
  readonly defaultMode?: SessionAuthMode;
  /**
   * By full method path: milliseconds since the sign-in beyond which (or for an anonymous session)
   * the call ends with FAILED_PRECONDITION and `x-error-code: reauthentication_required`.
   */
  readonly maxAuthenticationAge?: Readonly<Record<string, number>>;
  /** The clock maxAuthenticationAge is judged by (specs); Date.now otherwise. */
  readonly now?: () => number;
}

/**
 * Sessions by the metadata object the handler receives: grpc-js hands the
 * handler the metadata this interceptor passed on, and a WeakMap cannot be
 * spoofed by a client the way an added metadata key could.
 */
const sessions = new WeakMap<grpc.Metadata, ValidatedSession>();

/** The session the interceptor authenticated the call with, if any. */
export function sessionOfCall(call: { metadata: grpc.Metadata }): ValidatedSession | undefined {
  return sessions.get(call.metadata);
}

/**
 * A grpc-js server interceptor that validates `authorization: Bearer <token>`
 * through the CachedValidator before the handler runs. Required methods end
 * with UNAUTHENTICATED for a missing or invalid token; UNAVAILABLE when the
 * session service cannot say (never served on a guess).
 */
export function grpcSessionAuthInterceptor(options: GrpcSessionAuthOptions): grpc.ServerInterceptor {
  const defaultMode = options.defaultMode ?? 'required';
  return (methodDescriptor, call) => {
    const mode = options.methods?.[methodDescriptor.path] ?? defaultMode;
    const maxAge = options.maxAuthenticationAge?.[methodDescriptor.path];
    if (mode === 'off') return new grpc.ServerInterceptingCall(call);
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, passOn) {
            const header = metadata.get('authorization')[0];
            const token = bearerToken(typeof header === 'string' ? header : undefined);
            const refuse = (code: grpc.status, details: string, trailers = new grpc.Metadata()) =>
              call.sendStatus({ code, details, metadata: trailers });
            if (!token) {
              if (mode === 'required')
                return refuse(grpc.status.UNAUTHENTICATED, 'this method needs authorization: Bearer <session token>');
              return passOn(metadata);
            }
            options.validator.validate(token).then(
              (session) => {
                if (maxAge !== undefined && needsReauthentication(session, maxAge, (options.now ?? Date.now)())) {
                  const trailers = new grpc.Metadata();
                  trailers.set(ERROR_CODE_METADATA_KEY, REAUTHENTICATION_REQUIRED);
                  return refuse(grpc.status.FAILED_PRECONDITION, 'this method needs a more recent sign-in', trailers);
                }
                sessions.set(metadata, session);
                passOn(metadata);
              },
              (err: unknown) => {
                if (authFailureOf(err) === 'unavailable') return refuse(grpc.status.UNAVAILABLE, 'the session service cannot be reached');
                if (mode === 'required') return refuse(grpc.status.UNAUTHENTICATED, 'the session token is not valid');
                passOn(metadata);
              },
            );
          },
        });
      },
    });
  };
}
