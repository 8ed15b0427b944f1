import type { Json, JsonObject } from './json-arbitraries';
import { depthOf, hasForbiddenKey, hasNestedArray, hasPrototypePoison, jsonBytes, MAX_DEPTH, mergePatch, wellFormed } from './json-rules';
import { BODY_LIMIT_BYTES, USER_DATA_MAX_BYTES } from './limits';

export interface Outcome {
  status: number;
  code?: string;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the service stores for a value sent as JSON: -0 is 0 once it is text, lone surrogates become U+FFFD. */
export const asStored = (value: Json): Json => wellFormed(JSON.parse(JSON.stringify(value)) as Json);

/**
 * Refusals every JSON body route shares, in the order the gateway applies them: body limit, parser,
 * the depth pre-check (no body deeper than { user_data: <16 levels> }), the body's shape, then the
 * user data rules the schema states (keys, arrays in arrays) in `userData(body)`.
 */
function bodyRefusal(
  body: Json,
  schemaOk: (body: JsonObject) => boolean,
  userData: (body: JsonObject) => Json | undefined,
): Outcome | null {
  if (jsonBytes(body) > BODY_LIMIT_BYTES) return { status: 413, code: 'payload_too_large' };
  if (hasPrototypePoison(body)) return { status: 400, code: 'bad_request' };
  if (depthOf(body) > MAX_DEPTH + 1) return { status: 400, code: 'invalid_user_data' };
  if (!isObject(body) || !schemaOk(body)) return { status: 400, code: 'bad_request' };
  const data = userData(body);
  if (data !== undefined && (hasForbiddenKey(data) || hasNestedArray(data))) return { status: 400, code: 'invalid_user_data' };
  return null;
}

/** The gateway's own checks of a value headed for user_data: depth, then size. */
function guardRefusal(value: Json): Outcome | null {
  if (depthOf(value) > MAX_DEPTH) return { status: 400, code: 'invalid_user_data' };
  if (jsonBytes(value) > USER_DATA_MAX_BYTES) return { status: 413, code: 'payload_too_large' };
  return null;
}

/** The service's validation of the data it would store: structure (keys, depth), then size. */
function storeRefusal(data: Json): Outcome | null {
  if (hasForbiddenKey(data) || depthOf(data) > MAX_DEPTH) return { status: 400, code: 'invalid_user_data' };
  if (jsonBytes(data) > USER_DATA_MAX_BYTES) return { status: 413, code: 'payload_too_large' };
  return null;
}

const onlyUserData = (body: JsonObject, required: boolean) =>
  Object.keys(body).every((k) => k === 'user_data') &&
  (required ? Object.hasOwn(body, 'user_data') : true) &&
  (!Object.hasOwn(body, 'user_data') || isObject(body['user_data']));

/** POST /api/sessions with a JSON body. */
export function predictCreate(body: Json): Outcome {
  const refused = bodyRefusal(
    body,
    (b) => onlyUserData(b, false),
    (b) => b['user_data'],
  );
  if (refused) return refused;
  const data = (body as JsonObject)['user_data'] ?? {};
  return guardRefusal(data) ?? storeRefusal(asStored(data)) ?? { status: 201 };
}

/** PUT /api/sessions/current/data with a JSON body. */
export function predictReplace(body: Json): Outcome {
  const refused = bodyRefusal(
    body,
    (b) => onlyUserData(b, true),
    (b) => b['user_data'],
  );
  if (refused) return refused;
  const data = (body as JsonObject)['user_data'];
  return guardRefusal(data) ?? storeRefusal(asStored(data)) ?? { status: 200 };
}

/** PATCH /api/sessions/current/data: the outcome and, when it lands, the data it leaves. */
export function predictMerge(current: Json, patch: Json): { outcome: Outcome; data?: Json } {
  const refused =
    bodyRefusal(
      patch,
      () => true,
      (b) => b,
    ) ?? guardRefusal(patch);
  if (refused) return { outcome: refused };
  const merged = mergePatch(current, asStored(patch));
  const stored = storeRefusal(merged);
  return stored ? { outcome: stored } : { outcome: { status: 200 }, data: merged };
}
