/**
 * user_data's rules as JSON Schema, so /openapi.json tells clients what the session service
 * accepts (apps/session-service/src/domain/user-data.ts) and Fastify refuses the rest before any
 * gRPC call. What JSON Schema cannot say (the serialized size) is in the description.
 *
 * JSON Schema has no depth keyword, so nesting is a chain of components, one per level: a
 * container at level d holds scalars or containers of level d + 1, and level 16 holds only
 * scalars. Validation therefore stops at level 17 whatever the depth of the value sent, and
 * the chain is linear (each level refers to the next), not exponential as inlining would be.
 */

/** The nesting limit (a flat object is 1), the same as the session service's. */
export const USER_DATA_MAX_DEPTH = 16;

/** Component ids start with this; a schema failure inside them is a user-data failure (invalid_user_data). */
export const USER_DATA_SCHEMA_PREFIX = 'UserData';
export const USER_DATA_ID = 'UserData';
export const USER_DATA_PATCH_ID = 'UserDataPatch';

const objectId = (level: number) => (level === 1 ? USER_DATA_ID : `UserDataObject${level}`);
const arrayId = (level: number) => `UserDataArray${level}`;
const patchId = (level: number) => (level === 1 ? USER_DATA_PATCH_ID : `UserDataPatch${level}`);
const ref = (id: string) => ({ $ref: `${id}#` });

// Infinity has no JSON form, and a JSON number past these bounds parses to Infinity, which the service refuses.
// One type per branch: Ajv's strict mode warns about union types.
const SCALAR = {
  anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'null' }, { type: 'number', minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE }],
};

// Not empty, no leading "$", no "." or NUL anywhere (MongoDB would read them as operators or paths);
// "__proto__" is refused by Fastify's JSON parser (prototype poisoning), so it is no key either.
const NOT_PROTO = { not: { const: '__proto__' } };
const KEY = { pattern: '^[^$.\\u0000][^.\\u0000]*$', ...NOT_PROTO };
export const KEY_RULES = 'keys are not empty, do not start with "$", contain no "." or NUL and are not "__proto__"';

// Fastify's JSON parser also refuses a `constructor` object that has a `prototype` (constructor poisoning).
const NO_CONSTRUCTOR_POISON = { not: { required: ['constructor'], properties: { constructor: { type: 'object', required: ['prototype'] } } } };

/** What a container at `level` may hold under a key: scalars, and containers one level down while there are levels left. */
function member(level: number, objectAt: (level: number) => string) {
  return level < USER_DATA_MAX_DEPTH ? { anyOf: [SCALAR, ref(objectAt(level + 1)), ref(arrayId(level + 1))] } : SCALAR;
}

function objectSchema(level: number, maxBytes: number) {
  return {
    $id: objectId(level),
    type: 'object',
    ...(level === 1
      ? {
          description:
            `The session data: a JSON object of at most ${maxBytes} bytes serialized as compact JSON (USER_DATA_MAX_BYTES; 413 past it), ` +
            `nested at most ${USER_DATA_MAX_DEPTH} levels deep (a flat object is 1); ${KEY_RULES}; arrays do not directly hold arrays.`,
        }
      : {}),
    propertyNames: KEY,
    additionalProperties: member(level, objectId),
    ...NO_CONSTRUCTOR_POISON,
  };
}

// The service refuses an array directly inside an array (FerretDB 1.x cannot store one; one rule keeps data portable).
function arraySchema(level: number) {
  return {
    $id: arrayId(level),
    type: 'array',
    items: level < USER_DATA_MAX_DEPTH ? { anyOf: [SCALAR, ref(objectId(level + 1))] } : SCALAR,
  };
}

/**
 * A merge patch (RFC 7396) is checked as the data it leaves: `null` removes a key, so any key may
 * carry null (removing "" or "$x" stores nothing); other values are stored as sent and follow the
 * key rules; arrays replace whole values, so they follow the stored rules.
 */
function patchSchema(level: number) {
  return {
    $id: patchId(level),
    type: 'object',
    ...(level === 1 ? { description: `A JSON merge patch (RFC 7396) of user_data: null removes a key; the result follows UserData's rules.` } : {}),
    propertyNames: NOT_PROTO,
    properties: { '': { type: 'null' } },
    patternProperties: { '^\\$': { type: 'null' }, '[.\\u0000]': { type: 'null' } },
    additionalProperties: member(level, patchId),
    ...NO_CONSTRUCTOR_POISON,
  };
}

/** Every user-data component, registered with addSchema so OpenAPI lists them and routes `$ref` them. */
export function userDataSchemas(maxBytes: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let level = 1; level <= USER_DATA_MAX_DEPTH; level++) {
    out.push(objectSchema(level, maxBytes), patchSchema(level));
    if (level > 1) out.push(arraySchema(level));
  }
  return out;
}
