import { InvalidUserDataError, PayloadTooLargeError } from './errors';
import { USER_DATA_MAX_DEPTH, validateUserData } from './user-data';

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < depth; i++) value = { n: value };
  return value;
};

describe('validateUserData', () => {
  it('accepts JSON objects of every value type and returns them as is', () => {
    const data = { s: 'x', n: 1.5, b: false, z: null, a: [1, 'two', { three: 3 }, { four: [4] }], o: { p: {} } };
    expect(validateUserData(data, 1_000)).toBe(data);
    expect(validateUserData(Object.create(null), 10)).toEqual({});
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['a string', 'x'],
    ['a number', 1],
    ['a Date', new Date()],
  ])('refuses %s at the top', (_name, value) => {
    expect(() => validateUserData(value, 1_000)).toThrow(new InvalidUserDataError('user_data must be a JSON object'));
  });

  it('refuses an array directly inside an array, but not an object holding one', () => {
    expect(() => validateUserData({ a: [[1]] }, 1_000)).toThrow('arrays must not directly hold arrays');
    expect(() => validateUserData({ a: [1, { b: [2] }] }, 1_000)).not.toThrow();
  });

  it.each([
    ['empty', { '': 1 }, 'must not be empty'],
    ['starting with $', { $set: 1 }, 'must not start with "$"'],
    ['with a dot', { 'a.b': 1 }, 'must not contain "."'],
    ['with NUL', { 'a\0b': 1 }, 'must not contain NUL'],
    ['nested in an object', { ok: { $gt: 1 } }, 'must not start with "$"'],
    ['nested in an array', { ok: [{ 'x.y': 1 }] }, 'must not contain "."'],
  ])('refuses a key %s', (_name, value, message) => {
    expect(() => validateUserData(value, 1_000)).toThrow(InvalidUserDataError);
    expect(() => validateUserData(value, 1_000)).toThrow(message);
  });

  it(`allows depth ${USER_DATA_MAX_DEPTH} and refuses one more, arrays counting as levels`, () => {
    expect(() => validateUserData(nested(USER_DATA_MAX_DEPTH), 10_000)).not.toThrow();
    expect(() => validateUserData(nested(USER_DATA_MAX_DEPTH + 1), 10_000)).toThrow('nested deeper than 16');
    let arrays: unknown = 1;
    for (let i = 0; i < USER_DATA_MAX_DEPTH; i++) arrays = [arrays];
    expect(() => validateUserData({ a: arrays }, 10_000)).toThrow(InvalidUserDataError);
  });

  it('refuses a hostile depth without overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => validateUserData(deep, 10_000_000)).toThrow(InvalidUserDataError);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => validateUserData({ n: Number.NaN }, 100)).toThrow('numbers must be finite');
    expect(() => validateUserData({ n: Infinity }, 100)).toThrow('numbers must be finite');
    expect(() => validateUserData({ u: undefined }, 100)).toThrow('only hold JSON values');
    expect(() => validateUserData({ f: () => 1 }, 100)).toThrow('only hold JSON values');
    expect(() => validateUserData({ d: new Date() }, 100)).toThrow('only hold JSON values');
  });

  it('limits the serialized size in bytes, not characters', () => {
    const exact = { k: 'x'.repeat(10) }; // {"k":"xxxxxxxxxx"} is 18 bytes
    expect(() => validateUserData(exact, 18)).not.toThrow();
    expect(() => validateUserData(exact, 17)).toThrow(PayloadTooLargeError);
    const multiByte = { k: 'é'.repeat(5) }; // 5 characters, 10 bytes
    expect(() => validateUserData(multiByte, 17)).toThrow(new PayloadTooLargeError(17));
    expect(() => validateUserData(multiByte, 18)).not.toThrow();
  });
});
