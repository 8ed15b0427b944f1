import { assertBeforeDeadline, NO_DEADLINE } from './call-context';
import { DeadlineExceededError } from './errors';

describe('call context', () => {
  afterEach(() => jest.restoreAllMocks());

  it('treats internal work as having no deadline', () => {
    expect(NO_DEADLINE).toEqual({ requestId: 'internal', deadline: Infinity });
    expect(Object.isFrozen(NO_DEADLINE)).toBe(true);
    expect(() => assertBeforeDeadline(NO_DEADLINE)).not.toThrow();
  });

  it('refuses work from the deadline on, not a millisecond before', () => {
    jest.spyOn(Date, 'now').mockReturnValue(10_000);
    expect(() => assertBeforeDeadline({ requestId: 'r', deadline: 10_001 })).not.toThrow();
    expect(() => assertBeforeDeadline({ requestId: 'r', deadline: 10_000 })).toThrow(DeadlineExceededError);
    expect(() => assertBeforeDeadline({ requestId: 'r', deadline: 9_999 })).toThrow(DeadlineExceededError);
  });
});
