import { MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { InternalError, ServiceUnavailableError } from '../domain/errors';
import { classifyDriverError } from './driver-errors';

const serverError = (code: number, labels: string[] = []) => {
  const err = new MongoServerError({ message: 'server said no', code });
  for (const l of labels) err.addErrorLabel(l);
  return err;
};

describe('classifyDriverError', () => {
  it('treats unreachable databases as unavailable', () => {
    expect(classifyDriverError(new MongoNetworkError('down'))).toBeInstanceOf(ServiceUnavailableError);
    expect(classifyDriverError(new MongoServerSelectionError('no server', { type: 'Unknown' } as never))).toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(classifyDriverError(new MongoTopologyClosedError())).toBeInstanceOf(ServiceUnavailableError);
  });

  it('treats transient server answers as unavailable and the rest as internal', () => {
    expect(classifyDriverError(serverError(50))).toBeInstanceOf(ServiceUnavailableError);
    expect(classifyDriverError(serverError(10107))).toBeInstanceOf(ServiceUnavailableError);
    expect(classifyDriverError(serverError(1, ['RetryableWriteError']))).toBeInstanceOf(ServiceUnavailableError);
    expect(classifyDriverError(serverError(11000))).toBeInstanceOf(InternalError);
  });

  it('leaves other errors to the caller', () => {
    expect(classifyDriverError(new Error('x'))).toBeNull();
  });
});
