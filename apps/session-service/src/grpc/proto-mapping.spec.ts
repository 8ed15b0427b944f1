import type { CreateSessionRequest__Output } from '@session/proto';
import { BadRequestError, InvalidUserDataError } from '../domain/errors';
import { readUserData, readVersion } from './proto-mapping';

type StructOut = NonNullable<CreateSessionRequest__Output['user_data']>;

describe('proto mapping', () => {
  it('reads Struct user_data as plain JSON, and an unset one as null', () => {
    const struct: StructOut = {
      fields: { a: { kind: 'stringValue', stringValue: 'x' }, n: { kind: 'nullValue', nullValue: 'NULL_VALUE' } },
    };
    expect(readUserData(struct)).toEqual({ a: 'x', n: null });
    expect(readUserData(null)).toBeNull();
  });

  it('turns a Struct too deep to decode into invalid_user_data', () => {
    let struct: StructOut = { fields: {} };
    for (let i = 0; i < 200_000; i++) struct = { fields: { d: { kind: 'structValue', structValue: struct } } };
    expect(() => readUserData(struct)).toThrow(InvalidUserDataError);
  });

  it('reads int64 versions from their decimal strings', () => {
    expect(readVersion(undefined)).toBeUndefined();
    expect(readVersion('0')).toBe(0);
    expect(readVersion('42')).toBe(42);
    for (const bad of ['-1', '1.5', '99999999999999999999', 'abc']) expect(() => readVersion(bad)).toThrow(BadRequestError);
  });
});
