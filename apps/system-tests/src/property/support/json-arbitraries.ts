import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Keys a naive store would read as operators, paths or prototype access, plus odd but legal ones. */
export const HOSTILE_KEYS = [
  '$set',
  '$where',
  '$gt',
  '$',
  'a.b',
  '.',
  '',
  'x\u0000y',
  '\u0000',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'é',
  '\u{1F600}',
  'ключ',
  ' ',
  '\t',
];

const plainKey = fc.string({ minLength: 1, maxLength: 8 });
/** Mostly storable keys (so writes succeed often enough to matter), sometimes hostile or arbitrary UTF-16. */
export const anyKey = fc.oneof(
  { weight: 6, arbitrary: plainKey },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

/** Strings of every size class: empty, short arbitrary UTF-16 (lone surrogates included), and huge. */
export const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 24_000 }), fc.constantFrom('x', 'é', '\u{1F600}')).map(([n, c]) => c.repeat(n)),
  },
);

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  anyString,
);

/** Builds an object from entries as JSON.parse would: `__proto__` becomes an own key, never the prototype. */
export function objectOf(entries: [string, Json][]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `depth` levels of nesting (objects and arrays alternating by `shape`), around a leaf. */
export const deepValue: fc.Arbitrary<Json> = fc
  .tuple(fc.integer({ min: 12, max: 40 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), plainKey, leaf)
  .map(([depth, shape, key, inner]) => {
    let value: Json = inner;
    for (let i = 0; i < depth; i++) value = shape[i] ? [value] : objectOf([[key, value]]);
    return value;
  });

const tree = fc.letrec<{ value: Json; array: Json[]; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(anyKey, tie('value')), { maxLength: 5 }).map(objectOf),
}));

/** Any JSON value: scalars, shallow trees with hostile keys, deep nests. */
export const anyJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: tree.value },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.jsonValue() as fc.Arbitrary<Json> },
);

/** A JSON object whose values are anything above (top-level keys hostile or not). */
export const anyObject: fc.Arbitrary<JsonObject> = fc.array(fc.tuple(anyKey, anyJson), { maxLength: 6 }).map(objectOf);
