import { createSessionClient, SessionApi } from '@session/grpc-client';
import type { LoadResult, Pacing } from './load-result';
import { runOperations } from './op-loops';

export interface GrpcValidateJob {
  kind: 'grpc-validate';
  /** host:port of the session service. */
  address: string;
  tokens: string[];
  channels: number;
  pacing: Pacing;
}

/**
 * ValidateSession straight to the session service, as another back-end
 * service would call it (default extend, so the touch throttle applies).
 * Note: grpc-js pools identical channels onto one connection, as in the gateway.
 */
export async function runGrpcValidateJob(job: GrpcValidateJob): Promise<LoadResult> {
  const apis = Array.from({ length: job.channels }, () => new SessionApi(createSessionClient({ address: job.address })));
  try {
    return await runOperations((i) => apis[i % apis.length].validateSession({ token: job.tokens[i % job.tokens.length] }), job.pacing);
  } finally {
    for (const api of apis) api.close();
  }
}
