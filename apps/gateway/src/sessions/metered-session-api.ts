import { status } from '@grpc/grpc-js';
import type { CallObserver } from '@session/grpc-client';
import { isServiceError } from '../errors/to-problem';

export type RecordCall = (method: string, code: string) => void;

/** The gRPC status name of a failed call (UNKNOWN for anything that is not a gRPC error). */
export function statusName(error: unknown): string {
  return isServiceError(error) ? (status[error.code] ?? 'UNKNOWN') : 'UNKNOWN';
}

/**
 * Counts every call's outcome by RPC name (`ValidateSession`) and status name (`OK`,
 * `UNAUTHENTICATED`). SessionApi reports each call it makes, so every RPC of the service is
 * counted without a list kept here.
 */
export function meterSessionApi<Api extends { observe(observer: CallObserver): Api }>(api: Api, record: RecordCall): Api {
  return api.observe((rpc, code) => record(rpc, status[code] ?? 'UNKNOWN'));
}
