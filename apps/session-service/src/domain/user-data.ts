import type { JsonObject } from '@session/proto';
import { InvalidUserDataError, PayloadTooLargeError } from './errors';

export const USER_DATA_MAX_DEPTH = 16;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkKey(key: string, field: string): void {
  if (key === '') throw new InvalidUserDataError(`${field} keys must not be empty`);
  // "$" and "." would be read as operators or paths by MongoDB.
  if (key.startsWith('$')) throw new InvalidUserDataError(`${field} keys must not start with "$"`);
  if (key.includes('.')) throw new InvalidUserDataError(`${field} keys must not contain "."`);
  if (key.includes('\0')) throw new InvalidUserDataError(`${field} keys must not contain NUL`);
}

// Iterative on purpose: a hostile, very deep value must not exhaust the stack before the depth check.
function checkStructure(root: Record<string, unknown>, field: string): void {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (depth > USER_DATA_MAX_DEPTH) throw new InvalidUserDataError(`${field} is nested deeper than ${USER_DATA_MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      for (const item of value) {
        // MongoDB stores them, FerretDB 1.x refuses them: one rule everywhere keeps data portable.
        if (Array.isArray(item)) throw new InvalidUserDataError(`${field} arrays must not directly hold arrays`);
        checkValue(item, depth, stack, field);
      }
    } else {
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        checkKey(key, field);
        checkValue(object[key], depth, stack, field);
      }
    }
  }
}

function checkValue(value: unknown, depth: number, stack: { value: unknown; depth: number }[], field: string): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidUserDataError(`${field} numbers must be finite`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value) || isPlainObject(value)) {
        stack.push({ value, depth: depth + 1 });
        return;
      }
      break;
  }
  throw new InvalidUserDataError(`${field} may only hold JSON values`);
}

/**
 * Checks everything that makes user_data storable: a JSON object, safe keys,
 * bounded depth and bounded serialized size. Throws before anything is stored.
 */
export function validateUserData(value: unknown, maxBytes: number): JsonObject {
  checkJsonObject(value, 'user_data');
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > maxBytes) throw new PayloadTooLargeError(maxBytes);
  return value as JsonObject;
}

/** The storable-shape rules of user_data (object, safe keys, bounded depth), naming `field` in the message. */
export function checkJsonObject(value: unknown, field: string): asserts value is JsonObject {
  if (!isPlainObject(value)) throw new InvalidUserDataError(`${field} must be a JSON object`);
  checkStructure(value, field);
}
