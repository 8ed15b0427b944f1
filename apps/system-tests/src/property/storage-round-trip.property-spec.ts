import { status, type ServiceError } from '@grpc/grpc-js';
import { structToJson } from '@session/proto';
import fc from 'fast-check';
import { objectOf, type Json } from './support/json-arbitraries';
import { usePropertyStack } from './support/property-stack';
import { outcomeOf } from './support/rest-answers';

/** Own keys of Object.prototype that a JSON object may legitimately use as data keys. */
const PROTOTYPE_NAMES = ['valueOf', 'toString', 'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

const plainKey = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => /^[a-z]+$/i.test(k) && !(k in Object.prototype));
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 10 }), fc.constant(null));
const smallObject = fc.array(fc.tuple(plainKey, scalar), { maxLength: 3 }).map(objectOf);

/** Puts `value` under `key`, a few plain objects down. */
const nestUnder = (key: string, value: Json, path: string[]) =>
  path.reduceRight<Json>((inner, step) => objectOf([[step, inner]]), objectOf([[key, value]]));

describe('user_data round-trips through storage unchanged', () => {
  const stack = usePropertyStack();

  const create = (userData: Json) => stack.http.sendJson('POST', '/api/sessions', { user_data: userData });
  const read = async (token: string) => stack.http.send({ path: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });

  // The driver's BSON reader looks field names up in a plain `fieldsAsRaw: {}` object, so `valueOf` and the
  // like count as "return raw" and such arrays come back as BSON buffers: the session is unreadable from then on.
  it('keeps an array of objects under a key that Object.prototype also has (valueOf, toString, constructor, ...)', async () => {
    const data = fc
      .tuple(
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.array(smallObject, { minLength: 1, maxLength: 3 }),
        fc.array(plainKey, { maxLength: 2 }),
      )
      .map(([key, items, path]) => nestUnder(key, items, path));
    await fc.assert(
      fc.asyncProperty(data, async (userData) => {
        const created = await create(userData);
        expect(outcomeOf(created)).toEqual({ status: 201 });
        const { token } = JSON.parse(created.body);
        const again = await read(token);
        expect(outcomeOf(again)).toEqual({ status: 200 });
        expect(JSON.parse(again.body).session.user_data).toEqual(userData);
        const validated = await stack.grpc.validateSession({ token }).catch((err: ServiceError) => status[err.code]);
        expect(typeof validated === 'string' ? validated : structToJson(validated.session?.user_data)).toEqual(userData);
      }),
      { numRuns: 40 },
    );
  });

  // FerretDB 1.x refuses arrays directly inside arrays ("nested arrays are not supported", a plain server error);
  // MongoDB stores them. Either outcome is fine; a 500 is not.
  it('stores an array nested in an array, or refuses it with 400 invalid_user_data, never a 5xx', async () => {
    const nested: fc.Arbitrary<Json> = fc.array(fc.array(scalar, { maxLength: 3 }), { minLength: 1, maxLength: 3 });
    const data = fc.tuple(plainKey, nested, fc.array(plainKey, { maxLength: 2 })).map(([key, value, path]) => nestUnder(key, value, path));
    await fc.assert(
      fc.asyncProperty(data, async (userData) => {
        const created = await create(userData);
        const outcome = outcomeOf(created);
        if (outcome.status === 201) {
          const again = await read(JSON.parse(created.body).token);
          expect(JSON.parse(again.body).session.user_data).toEqual(userData);
        } else {
          expect(outcome).toEqual({ status: 400, code: 'invalid_user_data' });
        }
      }),
      { numRuns: 40 },
    );
  });
});
