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

  it("treats the embedded database's query cut inside SQLite at its maxTimeMS (InternalError, interrupted) as unavailable, like code 50", () => {
    // FerretDB's answer, as the service logged it under overload (before the build patched findAndModify to
    // answer 50; its find can still answer so when the cut lands inside SQLite's own call).
    const interrupted = new MongoServerError({
      message:
        '[msg_findandmodify.go:137 handler.(*Handler).findAndModifyDocument] [collection.go:95 sqlite.(*collection).Query] interrupted (9)',
      code: 1,
      codeName: 'InternalError',
    });
    expect(classifyDriverError(interrupted)).toBeInstanceOf(ServiceUnavailableError);
    const cut = new MongoServerError({ message: '[query_iterator.go:79 sqlite.(*queryIterator).Next] context deadline exceeded', code: 1 });
    expect(classifyDriverError(cut)).toBeInstanceOf(ServiceUnavailableError);
    expect(classifyDriverError(new MongoServerError({ message: 'disk I/O error (10)', code: 1 }))).toBeInstanceOf(InternalError);
    expect(classifyDriverError(new MongoServerError({ message: 'interrupted (9)', code: 11000 }))).toBeInstanceOf(InternalError);
    const expired = new MongoServerError({
      message: 'Executor error during findAndModify command :: caused by :: operation exceeded time limit',
      code: 50,
      codeName: 'MaxTimeMSExpired',
    });
    expect(classifyDriverError(expired)).toBeInstanceOf(ServiceUnavailableError);
  });

  it('leaves other errors to the caller', () => {
    expect(classifyDriverError(new Error('x'))).toBeNull();
  });
});
