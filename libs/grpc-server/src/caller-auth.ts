import { createHash, timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { isLoopbackAddress, type GrpcCaller } from '@session/config';
import { API_KEY_METADATA } from '@session/grpc-client';
import { ERROR_CODE_METADATA_KEY } from '@session/proto';

/** Set by the interceptor for the handlers (logs); whatever a client sends under this name is replaced. */
export const CALLER_METADATA = 'x-authenticated-caller';
/** The caller name when no callers are configured and a loopback peer is served. */
export const LOOPBACK_CALLER = 'loopback';
/**
 * `x-error-code` of a refused caller, so a client can tell "your service's key
 * is wrong" from "the user's session token is wrong" (both UNAUTHENTICATED).
 */
export const CALLER_ERROR_CODES = {
  [grpc.status.UNAUTHENTICATED]: 'caller_unauthenticated',
  [grpc.status.PERMISSION_DENIED]: 'caller_not_allowed',
} as const;
/** Health checks stay open: probes and load balancers carry no key. */
const OPEN_SERVICES = new Set(['grpc.health.v1.Health']);

export type CallerDecision =
  | { readonly ok: true; readonly caller: string }
  | {
      readonly ok: false;
      readonly code: grpc.status.UNAUTHENTICATED | grpc.status.PERMISSION_DENIED;
      readonly caller?: string;
      readonly details: string;
    };

interface KnownKey {
  readonly digest: Buffer;
  readonly caller: GrpcCaller;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Decides who a call comes from and whether it may make it. Keys are compared
 * as SHA-256 digests (equal length, so timingSafeEqual applies) against every
 * configured hash without stopping at a match, so the time taken says nothing
 * about which hash, or how much of one, matched.
 */
export class CallerPolicy {
  private readonly keys: readonly KnownKey[];

  constructor(private readonly callers: readonly GrpcCaller[]) {
    this.keys = callers.flatMap((caller) => caller.keyHashes.map((hex) => ({ digest: Buffer.from(hex, 'hex'), caller })));
  }

  /** `rpc` is the method name (ValidateSession); `peerAddress` the remote IP of the connection. */
  decide(presentedKey: string | undefined, rpc: string, peerAddress: string | undefined): CallerDecision {
    if (this.callers.length === 0) {
      return isLoopbackAddress(peerAddress)
        ? { ok: true, caller: LOOPBACK_CALLER }
        : { ok: false, code: grpc.status.UNAUTHENTICATED, details: 'no callers are configured: only loopback peers are served' };
    }
    const caller = presentedKey === undefined ? undefined : this.identify(presentedKey);
    if (!caller)
      return { ok: false, code: grpc.status.UNAUTHENTICATED, details: `missing or unknown API key (metadata ${API_KEY_METADATA})` };
    if (!caller.rpcs.includes(rpc))
      return { ok: false, code: grpc.status.PERMISSION_DENIED, caller: caller.name, details: `caller ${caller.name} may not call ${rpc}` };
    return { ok: true, caller: caller.name };
  }

  private identify(presentedKey: string): GrpcCaller | undefined {
    const digest = sha256(presentedKey);
    let found: GrpcCaller | undefined;
    for (const key of this.keys) if (timingSafeEqual(digest, key.digest)) found = key.caller;
    return found;
  }
}

/** `/session.v1.SessionService/ValidateSession` -> ['session.v1.SessionService', 'ValidateSession'] */
export function splitMethodPath(path: string): [service: string, rpc: string] {
  const slash = path.lastIndexOf('/');
  return [path.slice(1, slash), path.slice(slash + 1)];
}

/** One string value of a metadata key; binary or repeated values count as absent or first. */
function firstString(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The one place callers are checked: a server interceptor that sees every
 * call's metadata before any handler runs (session service and reflection
 * alike). A refused call is answered here and never reaches a handler. The
 * key is removed from the metadata once checked, so nothing downstream can
 * log it; the caller's name is put in its place.
 */
export function callerAuthInterceptor(
  policy: CallerPolicy,
  onDecision: (decision: CallerDecision, rpc: string, peer: string) => void,
): grpc.ServerInterceptor {
  return (methodDescriptor, call) => {
    const [service, rpc] = splitMethodPath(methodDescriptor.path);
    if (OPEN_SERVICES.has(service)) return new grpc.ServerInterceptingCall(call);
    return new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, passOn) {
            const decision = policy.decide(firstString(metadata, API_KEY_METADATA), rpc, call.getConnectionInfo().remoteAddress);
            onDecision(decision, rpc, call.getPeer());
            if (!decision.ok) {
              const trailer = new grpc.Metadata();
              trailer.set(ERROR_CODE_METADATA_KEY, CALLER_ERROR_CODES[decision.code]);
              call.sendStatus({ code: decision.code, details: decision.details, metadata: trailer });
              return;
            }
            metadata.remove(API_KEY_METADATA);
            metadata.set(CALLER_METADATA, decision.caller);
            passOn(metadata);
          },
        });
      },
    });
  };
}

/** The authenticated caller of a call that passed the interceptor (for logs). */
export function readCaller(metadata: grpc.Metadata): string | undefined {
  return firstString(metadata, CALLER_METADATA);
}
