import type { JsonObject } from '@session/proto';
import { InvalidUserDataError, PayloadTooLargeError } from './errors';

export const USER_DATA_MAX_DEPTH = 16;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkKey(key: string): void {
  if (key === '') throw new InvalidUserDataError('user_data keys must not be empty');
  // "$" and "." would be read as operators or paths by MongoDB.
  if (key.startsWith('$')) throw new InvalidUserDataError('user_data keys must not start with "$"');
  if (key.includes('.')) throw new InvalidUserDataError('user_data keys must not contain "."');
  if (key.includes('\0')) throw new InvalidUserDataError('user_data keys must not contain NUL');
}

// Iterative on purpose: a hostile, very deep value must not exhaust the stack before the depth check.
function checkStructure(root: Record<string, unknown>): void {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (depth > USER_DATA_MAX_DEPTH) throw new InvalidUserDataError(`user_data is nested deeper than ${USER_DATA_MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      for (const item of value) {
        // MongoDB stores them, FerretDB 1.x refuses them: one rule everywhere keeps data portable.
        if (Array.isArray(item)) throw new InvalidUserDataError('user_data arrays must not directly hold arrays');
        checkValue(item, depth, stack);
      }
    } else {
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        checkKey(key);
        checkValue(object[key], depth, stack);
      }
    }
  }
}

function checkValue(value: unknown, depth: number, stack: { value: unknown; depth: number }[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidUserDataError('user_data numbers must be finite');
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value) || isPlainObject(value)) {
        stack.push({ value, depth: depth + 1 });
        return;
      }
      break;
  }
  throw new InvalidUserDataError('user_data may only hold JSON values');
}

/**
 * Checks everything that makes user_data storable: a JSON object, safe keys,
 * bounded depth and bounded serialized size. Throws before anything is stored.
 */
export function validateUserData(value: unknown, maxBytes: number): JsonObject {
  if (!isPlainObject(value)) throw new InvalidUserDataError('user_data must be a JSON object');
  checkStructure(value);
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > maxBytes) throw new PayloadTooLargeError(maxBytes);
  return value as JsonObject;
}
