import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
  it.each([
    ['  Ann@Example.ORG ', 'ann@example.org'],
    ['A\u030Angstrom@example.org', '\u00e5ngstrom@example.org'],
  ])('%j -> %j', (input, output) => expect(normalizeEmail(input)).toBe(output));
  it.each(['', 'a', 'a@b', 'a b@c.org', 'a@b@c.org', '@c.org', `${'a'.repeat(250)}@c.org`])('refuses %j', (input) => {
    expect(() => normalizeEmail(input)).toThrow(expect.objectContaining({ code: 'invalid_email' }));
  });
});
