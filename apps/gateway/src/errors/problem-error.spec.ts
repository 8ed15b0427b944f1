import { ProblemError } from './problem-error';

describe('ProblemError', () => {
  it('carries status, code, detail and headers under its own name', () => {
    const error = new ProblemError(429, 'rate_limited', 'slow down', { 'retry-after': '3' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ProblemError',
      status: 429,
      code: 'rate_limited',
      message: 'slow down',
      headers: { 'retry-after': '3' },
    });
  });

  it('has no extra headers unless given', () => {
    expect(new ProblemError(403, 'forbidden', 'no').headers).toEqual({});
  });
});
