import { isLoopbackHost, parseGrpcCallers, type GrpcCaller } from './grpc-callers';

export interface GrpcListenSettings {
  readonly host: string;
  readonly port: number;
  readonly callers: readonly GrpcCaller[];
}

/** The raw variables a gRPC service's listen rule reads, as its schema returns them. */
export interface RawGrpcListenEnv {
  /** Name of the variable holding `host:port`, for the messages (SESSION_SERVICE_URL, ACCOUNTS_SERVICE_URL). */
  readonly urlVariable: string;
  readonly url: string;
  readonly GRPC_CALLERS: string;
  readonly GRPC_CALLER_KEY_HASHES: string;
  /** The RPC names a caller's allow-list may name; undefined: any. */
  readonly allowedRpcs?: readonly string[];
}

/**
 * A gRPC service's listen address and its callers, with every problem found (reported together with
 * the service's other problems). Without callers nobody is authenticated, so such a service may only
 * listen on loopback: reachable from other hosts, anyone could call it.
 */
export function grpcListenSettings(env: RawGrpcListenEnv): { settings: GrpcListenSettings; problems: string[] } {
  const { urlVariable, url } = env;
  const lastColon = url.lastIndexOf(':');
  const host = url.slice(0, lastColon);
  const parsed = parseGrpcCallers(env.GRPC_CALLERS, env.GRPC_CALLER_KEY_HASHES, env.allowedRpcs);
  const problems = [...parsed.problems];
  if (parsed.callers.length === 0 && !isLoopbackHost(host)) {
    problems.push(
      `${urlVariable}: ${host} is not a loopback address, so GRPC_CALLERS and GRPC_CALLER_KEY_HASHES must be set (docs/grpc-callers.md); or listen on 127.0.0.1`,
    );
  }
  return { settings: { host, port: Number(url.slice(lastColon + 1)), callers: parsed.callers }, problems };
}
