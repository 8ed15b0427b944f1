import { ProblemError } from '../errors/problem-error';
import { assertUserDataFits, jsonByteLength, jsonDepth, USER_DATA_MAX_DEPTH } from './user-data-guard';

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

describe('jsonByteLength', () => {
  it('counts UTF-8 bytes of compact JSON', () => {
    expect(jsonByteLength({ a: 1 })).toBe(7);
    expect(jsonByteLength({ e: 'é' })).toBe(10); // é is two bytes
    expect(jsonByteLength(undefined)).toBe(0);
  });
});

describe('jsonDepth', () => {
  it('counts objects and arrays as levels', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: null }] })).toBe(3);
    expect(jsonDepth(nested(20))).toBe(20);
  });

  it('handles a very deep value without recursion', () => expect(jsonDepth(nested(100_000))).toBe(100_000));
});

describe('assertUserDataFits', () => {
  it('accepts data at the limits', () => {
    expect(() => assertUserDataFits({ a: 'x'.repeat(10) }, jsonByteLength({ a: 'x'.repeat(10) }))).not.toThrow();
    expect(() => assertUserDataFits(nested(USER_DATA_MAX_DEPTH), 1_000)).not.toThrow();
  });

  it('refuses one byte too many with 413 payload_too_large', () => {
    const data = { a: 'x'.repeat(10) };
    let error: unknown;
    try {
      assertUserDataFits(data, jsonByteLength(data) - 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('checks depth before size: a 10,000-deep value is a 400, never a stack overflow in JSON.stringify', () => {
    expect(() => assertUserDataFits(nested(10_000), 10)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_user_data' }));
  });

  it('refuses nesting deeper than the limit with 400 invalid_user_data', () => {
    expect(() => assertUserDataFits(nested(USER_DATA_MAX_DEPTH + 1), 1_000)).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_user_data' }),
    );
  });
});
