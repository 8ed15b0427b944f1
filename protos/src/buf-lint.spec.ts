import { BUF_FINDINGS, runBuf, withEditedProtos } from './buf';

describe('buf lint', () => {
  it('passes on the protos with the STANDARD rules of protos/buf.yaml', () => {
    expect(runBuf(['lint', 'protos'])).toEqual({ status: 0, output: '' });
  });

  it('reports a proto that breaks a STANDARD rule, by rule name', () => {
    const result = withEditedProtos(
      (proto) => proto.replace('UPDATE_MODE_UNSPECIFIED = 0', 'UPDATE_MODE_NONE = 0'),
      (dir) => runBuf(['lint', dir, '--error-format=json']),
    );
    expect(result).toEqual({ status: BUF_FINDINGS, output: expect.stringContaining('"type":"ENUM_ZERO_VALUE_SUFFIX"') });
  });
});
