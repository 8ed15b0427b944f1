import { isValidRequestId, REQUEST_ID_PATTERN } from './service-contract';

describe('isValidRequestId', () => {
  it.each(['a', 'trace-1.2_3', 'A'.repeat(128), '0f0e5a2c-7c1e-4b5e-9d3a-1f2e3d4c5b6a'])('accepts %j', (id) =>
    expect(isValidRequestId(id)).toBe(true),
  );

  it.each([
    '',
    'x'.repeat(129),
    'has space',
    'line\nbreak',
    'tab\there',
    'quote"',
    'colon:part',
    'semi;colon',
    'ünicode',
    undefined,
    null,
    42,
    ['a'],
  ])('refuses %j', (id) => expect(isValidRequestId(id)).toBe(false));

  it('is anchored at both ends', () => {
    expect(REQUEST_ID_PATTERN.test('ok\n')).toBe(false);
    expect(REQUEST_ID_PATTERN.test(' ok')).toBe(false);
  });
});
