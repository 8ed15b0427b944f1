import type { Json, JsonObject } from './json-arbitraries';

/**
 * The contract's rules for user data, restated independently of the code
 * under test so the properties can predict each answer.
 */
export const MAX_DEPTH = 16;

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Every object and array below `value` (itself included), with its nesting depth (a flat object is 1). */
function* containers(value: Json): Generator<{ node: JsonObject | Json[]; depth: number }> {
  const stack: { node: Json; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Json; depth: number };
    if (typeof node !== 'object' || node === null) continue;
    yield { node, depth };
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
}

export function depthOf(value: Json): number {
  let max = 0;
  for (const { depth } of containers(value)) max = Math.max(max, depth);
  return max;
}

/** docs/contracts.md#user_data-rules: keys that are empty, start with `$`, contain `.` or NUL are refused. */
export const isForbiddenKey = (key: string) => key === '' || key.startsWith('$') || key.includes('.') || key.includes('\0');

export function hasForbiddenKey(value: Json): boolean {
  for (const { node } of containers(value)) if (!Array.isArray(node) && Object.keys(node).some(isForbiddenKey)) return true;
  return false;
}

/** What Fastify's JSON parser (secure-json-parse) refuses: an own `__proto__`, or a `constructor` object with a `prototype`. */
export function hasPrototypePoison(value: Json): boolean {
  for (const { node } of containers(value)) {
    if (Array.isArray(node)) continue;
    if (Object.hasOwn(node, '__proto__')) return true;
    const ctor = Object.hasOwn(node, 'constructor') ? node['constructor'] : null;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) return true;
  }
  return false;
}

/** UTF-8 cannot carry lone surrogates: on the wire they become U+FFFD, in keys and in values. */
const wellFormedString = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

export function wellFormed(value: Json): Json {
  if (typeof value === 'string') return wellFormedString(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) define(out, wellFormedString(key), wellFormed(value[key]));
  return out;
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = {};
  if (isObject(target)) for (const key of Object.keys(target)) define(out, key, target[key]);
  for (const key of Object.keys(patch)) {
    if (patch[key] === null) delete out[key];
    else define(out, key, mergePatch(Object.hasOwn(out, key) ? out[key] : undefined, patch[key]));
  }
  return out;
}

function define(object: JsonObject, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Paths of keys anywhere under `value` that a store must never hold. */
export function forbiddenKeyPaths(value: unknown, path = 'user_data'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (!Array.isArray(value) && isForbiddenKey(key)) found.push(`${path}[${JSON.stringify(key)}]`);
    found.push(...forbiddenKeyPaths(child, `${path}[${JSON.stringify(key)}]`));
  }
  return found;
}

/** FerretDB 1.x refuses to store an array directly inside an array ("nested arrays are not supported"). */
export function hasNestedArray(value: Json): boolean {
  for (const { node } of containers(value)) if (Array.isArray(node) && node.some(Array.isArray)) return true;
  return false;
}

/**
 * An array under a key that Object.prototype also has (`valueOf`, `toString`,
 * `constructor`...): the driver's BSON reader looks field names up in a plain
 * `fieldsAsRaw: {}` and hands such arrays' documents back as raw buffers.
 */
export function hasPrototypeNamedArray(value: Json): boolean {
  for (const { node } of containers(value)) {
    if (Array.isArray(node)) continue;
    if (Object.keys(node).some((key) => key in Object.prototype && Array.isArray(node[key]))) return true;
  }
  return false;
}

/** Shapes with a known storage defect, kept out of the general generators: storage-round-trip.property-spec.ts covers them. */
export const avoidsStorageDefects = (value: Json) => !hasNestedArray(value) && !hasPrototypeNamedArray(value);
