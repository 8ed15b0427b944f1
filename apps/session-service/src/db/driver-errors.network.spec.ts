import { MongoNetworkError } from 'mongodb';
import { ServiceUnavailableError } from '../domain/errors';
import { classifyDriverError, NODE_NETWORK_ERROR_CODES } from './driver-errors';

/** A Node socket error as `net`/`stream` raise it: a plain Error with a string code. */
const nodeError = (code: string, message = `${code} happened`) => Object.assign(new Error(message), { code });

describe('classifyDriverError with Node network errors the driver did not wrap', () => {
  it.each([...NODE_NETWORK_ERROR_CODES])('treats %s as the database being unavailable', (code) => {
    expect(classifyDriverError(nodeError(code))).toBeInstanceOf(ServiceUnavailableError);
  });

  it('covers the codes a stopped, reset or unreachable database produces', () => {
    expect([...NODE_NETWORK_ERROR_CODES].sort()).toEqual(
      [
        'ECONNABORTED',
        'ECONNREFUSED',
        'ECONNRESET',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'EPIPE',
        'ERR_STREAM_DESTROYED',
        'ERR_STREAM_WRITE_AFTER_END',
        'ETIMEDOUT',
      ].sort(),
    );
  });

  it('turns the broken pipe of a database stopped mid-write into UNAVAILABLE, not INTERNAL', () => {
    const epipe = nodeError('EPIPE', 'This socket has been ended by the other party');
    const error = classifyDriverError(epipe) as ServiceUnavailableError;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.reason).toBe('unavailable');
    expect(error.cause).toBe(epipe);
    // Nothing of the socket error reaches the caller.
    expect(error.message).not.toMatch(/socket|EPIPE/);
  });

  it('leaves other coded errors, code-less errors and non-errors to the caller', () => {
    expect(classifyDriverError(nodeError('ENOENT'))).toBeNull();
    expect(classifyDriverError(Object.assign(new Error('numeric'), { code: 32 }))).toBeNull();
    expect(classifyDriverError(new Error('EPIPE in the message only'))).toBeNull();
    expect(classifyDriverError({ code: 'EPIPE', message: 'not an Error' })).toBeNull();
    expect(classifyDriverError(null)).toBeNull();
    expect(classifyDriverError('EPIPE')).toBeNull();
  });

  it('still classifies the driver-wrapped form the same way', () => {
    const wrapped = new MongoNetworkError('connection closed', { cause: nodeError('EPIPE') });
    expect(classifyDriverError(wrapped)).toBeInstanceOf(ServiceUnavailableError);
  });
});
