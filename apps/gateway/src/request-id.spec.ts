import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each(['abc', 'trace-1.2_3', 'x'.repeat(128)])('keeps a safe id %j', (id) => expect(requestIdFrom(id)).toBe(id));

  it.each([undefined, '', 'x'.repeat(129), 'has space', 'line\nbreak', 'quote"', 'colon:part', ['a', 'b']])(
    'replaces %j with a fresh UUID',
    (id) => {
      expect(requestIdFrom(id as string | string[] | undefined)).toMatch(UUID);
    },
  );

  it('mints a different id each time', () => expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined)));
});
