import { ProblemError } from '../errors/problem-error';

/** The nesting limit of docs/contracts.md#user_data-rules; the service enforces it too, this keeps deep values off the wire. */
export const USER_DATA_MAX_DEPTH = 16;

/** Bytes of the value serialized as compact JSON (UTF-8), the same measure as the service's. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Nesting depth of a JSON value (a flat object is 1); iterative so a hostile value cannot exhaust the stack. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number };
    if (typeof item.value !== 'object' || item.value === null) continue;
    max = Math.max(max, item.depth);
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return max;
}

/**
 * Rejects too deeply nested (400) or oversized (413) user data or merge
 * patches before any gRPC call: the Struct encoding is recursive, and a
 * large value should not cost the service a round trip to refuse. Depth
 * comes first: measuring the size serializes the value, and JSON.stringify
 * recurses (a 10,000-deep value overflows the stack).
 */
export function assertUserDataFits(value: unknown, maxBytes: number): void {
  if (jsonDepth(value) > USER_DATA_MAX_DEPTH) {
    throw new ProblemError(400, 'invalid_user_data', `user_data is nested deeper than ${USER_DATA_MAX_DEPTH} levels`);
  }
  const size = jsonByteLength(value);
  if (size > maxBytes) {
    throw new ProblemError(413, 'payload_too_large', `user_data is ${size} bytes; the limit is ${maxBytes} bytes`);
  }
}
