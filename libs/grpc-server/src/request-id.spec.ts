import { Metadata } from '@grpc/grpc-js';
import { readRequestId } from './request-id';

const withId = (value?: string) => {
  const md = new Metadata();
  if (value !== undefined) md.set('x-request-id', value);
  return md;
};

describe('readRequestId', () => {
  it('keeps a plain caller id', () => {
    expect(readRequestId(withId('req-1.a-b_C'))).toBe('req-1.a-b_C');
  });

  it('generates one when absent or unfit for logs', () => {
    const uuid = /^[0-9a-f-]{36}$/;
    expect(readRequestId(withId())).toMatch(uuid);
    expect(readRequestId(withId('has space'))).toMatch(uuid);
    // The gateway's rule, shared: a colon is refused on both sides.
    expect(readRequestId(withId('a:b'))).toMatch(uuid);
    expect(readRequestId(withId('x'.repeat(129)))).toMatch(uuid);
    expect(readRequestId(withId())).not.toBe(readRequestId(withId()));
  });
});
