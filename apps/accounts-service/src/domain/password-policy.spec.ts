import { acceptNewPassword } from './password-policy';

describe('acceptNewPassword', () => {
  it('counts code points after NFKC: full-width letters become ASCII, an emoji is one character', () => {
    expect(acceptNewPassword('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ')).toBe('passwordpassword');
    expect(() => acceptNewPassword('😀'.repeat(14))).toThrow(expect.objectContaining({ code: 'invalid_password' }));
    expect(acceptNewPassword('😀'.repeat(15))).toHaveLength(30);
  });
  it('allows spaces and any printable character, refuses control characters', () => {
    expect(acceptNewPassword('  spaces are fine here  ')).toBe('  spaces are fine here  ');
    expect(() => acceptNewPassword('tab\tis a control char')).toThrow(/control characters/);
  });
});
