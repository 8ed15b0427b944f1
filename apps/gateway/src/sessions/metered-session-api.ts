import { status } from '@grpc/grpc-js';
import type { CallOptions, SessionApi } from '@session/grpc-client';
import { isServiceError } from '../errors/to-problem';

const METHODS = [
  'createSession',
  'validateSession',
  'getSession',
  'updateSessionData',
  'touchSession',
  'revokeSession',
  'bindUser',
  'listUserSessions',
  'revokeUserSessions',
] as const satisfies readonly (keyof SessionApi)[];

export type RecordCall = (method: string, code: string) => void;

/** The gRPC status name of a failed call (UNKNOWN for anything that is not a gRPC error). */
export function statusName(error: unknown): string {
  return isServiceError(error) ? (status[error.code] ?? 'UNKNOWN') : 'UNKNOWN';
}

/**
 * Counts every call's outcome by RPC name (`ValidateSession`) and status
 * name (`OK`, `UNAUTHENTICATED`). Wraps the instance's methods in place so
 * callers keep the SessionApi type.
 */
export function meterSessionApi(api: SessionApi, record: RecordCall): SessionApi {
  for (const name of METHODS) {
    const call = api[name].bind(api) as (request: unknown, options?: CallOptions) => Promise<unknown>;
    const rpc = name.charAt(0).toUpperCase() + name.slice(1);
    const metered = async (request: unknown, options?: CallOptions) => {
      try {
        const response = await call(request, options);
        record(rpc, 'OK');
        return response;
      } catch (error) {
        record(rpc, statusName(error));
        throw error;
      }
    };
    Object.defineProperty(api, name, { value: metered, configurable: true });
  }
  return api;
}
