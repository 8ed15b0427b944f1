import { validateClaims } from './claims';
import { ClaimsTooLargeError, InvalidClaimsError } from './errors';

describe('validateClaims', () => {
  it('reads no claims as none ({})', () => {
    expect(validateClaims(null, 2)).toEqual({});
  });

  it('takes claims whose JSON is exactly the cap in UTF-8 bytes and refuses one byte more', () => {
    // {"k":"é"} is 10 bytes: "é" takes two.
    expect(validateClaims({ k: 'é' }, 10)).toEqual({ k: 'é' });
    expect(() => validateClaims({ k: 'é' }, 9)).toThrow(new ClaimsTooLargeError(9));
    expect(new ClaimsTooLargeError(9).message).toBe('claims are larger than 9 bytes');
  });

  it("refuses what user_data's storage rules refuse, as invalid claims that name the field", () => {
    for (const claims of [{ $role: 'x' }, { 'a.b': 1 }, { n: Number.NaN }, []]) {
      const thrown = (() => {
        try {
          validateClaims(claims as never, 1_000);
        } catch (err) {
          return err;
        }
      })();
      expect(thrown).toBeInstanceOf(InvalidClaimsError);
      expect((thrown as Error).message).toMatch(/^claims /);
    }
  });

  it('lets an error that is no storage-rule violation through as it is', () => {
    const hostile = {
      get role(): string {
        throw new TypeError('getter failed');
      },
    };
    expect(() => validateClaims(hostile, 1_000)).toThrow(new TypeError('getter failed'));
  });
});
