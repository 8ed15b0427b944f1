import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

// Ids from callers end up in log lines: accept only short, plain values.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id`, or a fresh one, so every log line of a call can be correlated. */
export function readRequestId(metadata: Metadata): string {
  const values = metadata.get('x-request-id');
  const value = values.length > 0 ? values[0] : undefined;
  return typeof value === 'string' && ACCEPTABLE_ID.test(value) ? value : randomUUID();
}
