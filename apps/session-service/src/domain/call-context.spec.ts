import { NO_DEADLINE } from './call-context';

describe('call context', () => {
  it('treats internal work as having no deadline, and cannot be changed by accident', () => {
    expect(NO_DEADLINE).toEqual({ requestId: 'internal', deadline: Infinity });
    expect(Object.isFrozen(NO_DEADLINE)).toBe(true);
  });
});
