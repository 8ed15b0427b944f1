import { jsonToStruct } from '@session/proto';
import fc from 'fast-check';
import { anyKey, anyObject, type JsonObject } from './json-arbitraries';
import { avoidsStorageDefects } from './json-rules';
import { anyString } from './token-arbitraries';

type RawValue = Record<string, unknown>;
/** google.protobuf.Struct as the loader takes it (the proto lib exports only its codec). */
type Struct = ReturnType<typeof jsonToStruct>;

/** google.protobuf.Value messages as a careless caller may build them: no kind, non-finite numbers, several kinds at once. */
const rawScalar: fc.Arbitrary<RawValue> = fc.oneof(
  fc.constant({}),
  fc.constant({ nullValue: 'NULL_VALUE' }),
  fc.double().map((numberValue) => ({ numberValue })),
  fc.string({ unit: 'binary', maxLength: 20 }).map((stringValue) => ({ stringValue })),
  fc.boolean().map((boolValue) => ({ boolValue })),
  fc.tuple(fc.string(), fc.double()).map(([stringValue, numberValue]) => ({ stringValue, numberValue })),
);

const rawTree = fc.letrec<{ value: RawValue; struct: RawValue; item: RawValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    rawScalar,
    tie('struct').map((structValue) => ({ structValue })),
    fc.array(tie('item'), { maxLength: 3 }).map((values) => ({ listValue: { values } })),
  ),
  // No list directly inside a list, and no list under a key Object.prototype has: see avoidsStorageDefects.
  item: fc.oneof(
    rawScalar,
    tie('struct').map((structValue) => ({ structValue })),
  ),
  struct: fc.array(fc.tuple(anyKey, tie('value')), { maxLength: 4 }).map((entries) => ({
    fields: Object.fromEntries(entries.filter(([key, value]) => !(key in Object.prototype && 'listValue' in value))),
  })),
}));

/** A Struct nested `depth` levels: deep enough to cross the 16-level rule, shallow enough for protobuf's own limit. */
const deepStruct = fc.integer({ min: 12, max: 30 }).map((depth) => {
  let struct: RawValue = { fields: { leaf: { boolValue: true } } };
  for (let i = 0; i < depth; i++) struct = { fields: { d: { structValue: struct } } };
  return struct;
});

const hugeStruct = fc.integer({ min: 1_000, max: 200_000 }).map((n) => ({ fields: { big: { stringValue: 'x'.repeat(n) } } }));

/** user_data as any gRPC caller could send it. */
export const anyStruct: fc.Arbitrary<Struct> = fc.oneof(
  { weight: 4, arbitrary: anyObject.filter(avoidsStorageDefects).map((o: JsonObject) => jsonToStruct(o)) },
  { weight: 2, arbitrary: rawTree.struct as fc.Arbitrary<Struct> },
  { weight: 1, arbitrary: deepStruct as fc.Arbitrary<Struct> },
  { weight: 1, arbitrary: hugeStruct as fc.Arbitrary<Struct> },
);

/** Which token a call presents; live ones are minted in the run itself. */
export type TokenSpec = { kind: 'anonymous' | 'bound' | 'revoked' } | { kind: 'near'; seed: number } | { kind: 'given'; token: string };
export const tokenSpec: fc.Arbitrary<TokenSpec> = fc.oneof(
  fc.constantFrom({ kind: 'anonymous' as const }, { kind: 'bound' as const }, { kind: 'revoked' as const }),
  fc.nat().map((seed) => ({ kind: 'near' as const, seed })),
  anyString.map((token) => ({ kind: 'given' as const, token })),
);

export type IdSpec = { kind: 'own' | 'other' | 'unknown' } | { kind: 'given'; id: string };
export const idSpec: fc.Arbitrary<IdSpec> = fc.oneof(
  fc.constantFrom({ kind: 'own' as const }, { kind: 'other' as const }, { kind: 'unknown' as const }),
  fc.oneof(fc.uuid(), anyString).map((id) => ({ kind: 'given' as const, id })),
);

export const userId = fc.oneof(fc.constantFrom('user-1', 'user-2', 'user-3'), anyString, fc.constant(''), fc.constant('u'.repeat(257)));

/** int64 as the loader takes it: decimal strings, including negative and past 2^63. */
export const expectedVersion = fc.option(
  fc.oneof(
    fc.nat(3).map(String),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map(String),
    fc.constantFrom('9007199254740993', '-1'),
  ),
  { nil: undefined },
);

export const updateMode = fc.constantFrom<unknown>('UPDATE_MODE_MERGE', 'UPDATE_MODE_REPLACE', 'UPDATE_MODE_UNSPECIFIED', 7, -1);
