import { normalizeEmail } from './email';
import { acceptNewPassword } from './password-policy';

describe('normalizeEmail', () => {
  it.each([
    ['  Ann@Example.ORG ', 'ann@example.org'],
    ['A\u030Angstrom@example.org', '\u00e5ngstrom@example.org'],
  ])('%j -> %j', (input, output) => expect(normalizeEmail(input)).toBe(output));
  it.each(['', 'a', 'a@b', 'a b@c.org', 'a@b@c.org', '@c.org', `${'a'.repeat(250)}@c.org`])('refuses %j', (input) => {
    expect(() => normalizeEmail(input)).toThrow(expect.objectContaining({ code: 'invalid_email' }));
  });
});

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
