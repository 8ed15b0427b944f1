/**
 * user_data's rules as JSON Schema, so /openapi.json tells clients what the session service
 * accepts (apps/session-service/src/domain/user-data.ts) and Fastify refuses the rest before any
 * gRPC call: the key rules (propertyNames), finite numbers, no array directly in an array.
 *
 * Nesting is recursive (UserData -> UserDataValue -> UserData...). Its limit is stated in the
 * description, not as a chain of one component per level: a 16-level chain with an object and an
 * array branch per level inlines to thousands of copies, and fuzzers that inline references
 * (Schemathesis' coverage phase) then ran for tens of minutes. Depth is checked iteratively before
 * validation (body-depth.ts), so the recursive validator never walks a hostile depth, and again
 * exactly by the route (user-data-guard.ts) and the service.
 */

/** The nesting limit (a flat object is 1), the same as the session service's. */
export const USER_DATA_MAX_DEPTH = 16;

export const USER_DATA_ID = 'UserData';
export const USER_DATA_PATCH_ID = 'UserDataPatch';
export const STORED_USER_DATA_ID = 'StoredUserData';

// Infinity has no JSON form, and a JSON number past these bounds parses to Infinity, which the service refuses.
// One schema with a type list, not an anyOf per type: Schemathesis' negative mutations of such an anyOf
// produced values another branch accepts (a number "violating" the null branch), false findings.
const SCALAR = { type: ['string', 'boolean', 'null', 'number'], minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE };

// Not empty, no leading "$", no "." or NUL anywhere (MongoDB would read them as operators or paths);
// "__proto__" is refused by Fastify's JSON parser (prototype poisoning), so it is no key either.
const KEY = { pattern: '^[^$.\\u0000][^.\\u0000]*$', not: { const: '__proto__' } };
export const KEY_RULES = 'keys are not empty, do not start with "$", contain no "." or NUL and are not "__proto__"';

// Fastify's JSON parser also refuses a `constructor` object that has a `prototype` (constructor poisoning).
const NO_CONSTRUCTOR_POISON = {
  not: { required: ['constructor'], properties: { constructor: { type: 'object', required: ['prototype'] } } },
};

const VALUE = { $ref: 'UserDataValue#' };
const ARRAY = { $ref: 'UserDataArray#' };
const OBJECT = { $ref: `${USER_DATA_ID}#` };

/** Every user-data component, registered with addSchema so OpenAPI lists them and routes `$ref` them. */
export function userDataSchemas(maxBytes: number): Record<string, unknown>[] {
  return [
    {
      $id: USER_DATA_ID,
      type: 'object',
      description:
        `The session data: a JSON object of at most ${maxBytes} bytes serialized as compact JSON (USER_DATA_MAX_BYTES; 413 past it), ` +
        `nested at most ${USER_DATA_MAX_DEPTH} levels deep (a flat object is 1; 400 invalid_user_data past it); ${KEY_RULES}; arrays do not directly hold arrays.`,
      propertyNames: KEY,
      additionalProperties: VALUE,
      ...NO_CONSTRUCTOR_POISON,
    },
    { $id: 'UserDataValue', description: 'A value inside user_data', anyOf: [SCALAR, OBJECT, ARRAY] },
    // The service refuses an array directly inside an array (FerretDB 1.x cannot store one; one rule keeps data portable).
    { $id: 'UserDataArray', type: 'array', items: { anyOf: [SCALAR, OBJECT] } },
    {
      // A merge patch (RFC 7396) follows the same key rules, null values included: a key that can never be
      // stored never needs removing, and one rule for both bodies is simpler for clients and fuzzers alike.
      $id: USER_DATA_PATCH_ID,
      type: 'object',
      description: `A JSON merge patch (RFC 7396) of user_data: null removes a key; ${KEY_RULES}; the result follows UserData's rules.`,
      propertyNames: KEY,
      additionalProperties: { anyOf: [SCALAR, { $ref: `${USER_DATA_PATCH_ID}#` }, ARRAY] },
      ...NO_CONSTRUCTOR_POISON,
    },
    {
      // Responses show what the service stored, and other back-end callers write over gRPC under the service's
      // rules only: a "__proto__" key or a constructor holding "prototype" is plain data there. UserData's anyOf
      // made the serializer validate each nested value and throw (a 500) on such data, so this schema states no
      // rule the serializer could enforce; the service's validation is what keeps stored data in shape.
      $id: STORED_USER_DATA_ID,
      type: 'object',
      description:
        `The session data as stored. Written through this API it follows UserData; written by back-end services over gRPC it follows ` +
        `the session service's rules, which also allow the keys this API's JSON parser refuses ("__proto__", a "constructor" object holding "prototype").`,
      additionalProperties: true,
    },
  ];
}
