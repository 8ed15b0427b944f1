import { ERROR_CODE_METADATA_KEY, type Device } from '@session/proto';
import type { FastifyRequest } from 'fastify';
import { isServiceError } from '../../errors/to-problem';

/** 401s of the accounts service about the person, not the token: the token was checked and is fine. */
const TOKEN_WAS_FINE: ReadonlySet<string> = new Set(['invalid_credentials', 'reauthentication_required']);

/**
 * Runs an accounts RPC; when it fails for a reason that says the session token itself was fine,
 * marks the request so that session-auth neither counts the 401 as an invalid token nor clears the cookie
 * (a mistyped password must not sign the browser out of its anonymous session).
 */
export async function accountsCall<T>(request: FastifyRequest, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isServiceError(err) && TOKEN_WAS_FINE.has(String(err.metadata.get(ERROR_CODE_METADATA_KEY)[0]))) request.tokenAccepted = true;
    throw err;
  }
}

/** The caller's device as this gateway saw it: request.ip follows TRUST_PROXY, never the client-written left of X-Forwarded-For. */
export function deviceOf(request: FastifyRequest): Device {
  return { user_agent: request.headers['user-agent'] ?? '', client_address: request.ip };
}
