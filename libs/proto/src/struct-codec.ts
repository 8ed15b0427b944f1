import type { JsonObject, JsonValue } from '@session/rest-contract';
import type { Struct, Struct__Output } from './generated/google/protobuf/Struct';
import type { Value, Value__Output } from './generated/google/protobuf/Value';

/** A JSON value as carried by google.protobuf.Value: the REST contract's, defined once there. */
export type { JsonObject, JsonValue };

/**
 * Thrown for values google.protobuf.Value cannot hold (undefined, functions,
 * non-finite numbers, class instances). Callers turn it into INVALID_ARGUMENT.
 */
export class StructCodecError extends Error {
  override readonly name = 'StructCodecError';
}

export function jsonToValue(value: unknown): Value {
  if (value === null) return { nullValue: 'NULL_VALUE' as Value['nullValue'], kind: 'nullValue' };
  switch (typeof value) {
    case 'boolean':
      return { boolValue: value, kind: 'boolValue' };
    case 'string':
      return { stringValue: value, kind: 'stringValue' };
    case 'number':
      if (!Number.isFinite(value)) throw new StructCodecError('numbers must be finite');
      return { numberValue: value, kind: 'numberValue' };
    case 'object':
      if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) }, kind: 'listValue' };
      return { structValue: jsonToStruct(value as Record<string, unknown>), kind: 'structValue' };
    default:
      throw new StructCodecError(`unsupported JSON value of type ${typeof value}`);
  }
}

export function jsonToStruct(object: Record<string, unknown>): Struct {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new StructCodecError('user_data must be a JSON object');
  }
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    throw new StructCodecError('user_data must be a plain JSON object');
  }
  const fields: Record<string, Value> = {};
  for (const key of Object.keys(object)) setOwn(fields, key, jsonToValue(object[key]));
  return { fields };
}

export function valueToJson(value: Value__Output | null | undefined): JsonValue {
  if (!value) return null;
  switch (value.kind) {
    case 'boolValue':
      return value.boolValue ?? false;
    case 'stringValue':
      return value.stringValue ?? '';
    case 'numberValue':
      return value.numberValue ?? 0;
    case 'listValue':
      return (value.listValue?.values ?? []).map(valueToJson);
    case 'structValue':
      return structToJson(value.structValue);
    default:
      return null;
  }
}

export function structToJson(struct: Struct__Output | null | undefined): JsonObject {
  const out: JsonObject = {};
  if (!struct?.fields) return out;
  for (const key of Object.keys(struct.fields)) setOwn(out, key, valueToJson(struct.fields[key]));
  return out;
}

/**
 * defineProperty for "__proto__", which assignment would turn into a prototype swap instead of data;
 * plain assignment for every other key, because defineProperty on each key of every decoded
 * user_data showed up in the hot path's profile. `target` is always a fresh plain object, so no
 * other inherited setter can be hit.
 */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
