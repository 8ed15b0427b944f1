import { isLoopbackHost, parseGrpcCallers, type GrpcCaller } from './grpc-callers';

export interface GrpcListenSettings {
  readonly host: string;
  readonly port: number;
  readonly callers: readonly GrpcCaller[];
}

/**
 * A gRPC service's listen address (`host:port` in `urlVariable`) and its callers. Without callers
 * nobody is authenticated, so such a service may only listen on loopback: reachable from other
 * hosts, anyone could call it. Problems are appended to `problems` (all reported at once).
 */
export function grpcListenSettings(
  urlVariable: string,
  url: string,
  callersText: string,
  keyHashesText: string,
  allowedRpcs: readonly string[] | undefined,
  problems: string[],
): GrpcListenSettings {
  const lastColon = url.lastIndexOf(':');
  const host = url.slice(0, lastColon);
  const parsed = parseGrpcCallers(callersText, keyHashesText, allowedRpcs);
  problems.push(...parsed.problems);
  if (parsed.callers.length === 0 && !isLoopbackHost(host)) {
    problems.push(
      `${urlVariable}: ${host} is not a loopback address, so GRPC_CALLERS and GRPC_CALLER_KEY_HASHES must be set (docs/grpc-callers.md); or listen on 127.0.0.1`,
    );
  }
  return { host, port: Number(url.slice(lastColon + 1)), callers: parsed.callers };
}
