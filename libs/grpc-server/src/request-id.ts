import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { isValidRequestId, REQUEST_ID_METADATA_KEY } from '@session/proto';

/** The caller's `x-request-id`, or a fresh one, so every log line of a call can be correlated. */
export function readRequestId(metadata: Metadata): string {
  const values = metadata.get(REQUEST_ID_METADATA_KEY);
  const value = values.length > 0 ? values[0] : undefined;
  return isValidRequestId(value) ? value : randomUUID();
}
