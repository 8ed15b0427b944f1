import { summarizeLog } from './log-summary';

describe('summarizeLog', () => {
  it('counts pino lines at warn and above, and quotes the first of each level, the most severe first', () => {
    const output = [
      '{"level":30,"msg":"session service listening"}',
      '{"level":40,"msg":"touch failed"}',
      '{"level":50,"msg":"database unavailable","err":{"message":"database is locked"}}',
      '{"level":40,"msg":"touch failed"}',
      '',
    ].join('\n');
    expect(summarizeLog(output)).toBe('warn 2, error 1 (first error: database unavailable: database is locked; first warn: touch failed)');
  });

  it('counts lines that are not JSON as other, and says nothing for a quiet process', () => {
    expect(summarizeLog('(node:1) Warning: something\n')).toBe('other 1 (first other: (node:1) Warning: something)');
    expect(summarizeLog('{"level":30,"msg":"ok"}\n')).toBe('');
  });
});
