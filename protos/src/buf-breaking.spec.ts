import { BUF_FINDINGS, committedMainProtos, runBuf, withEditedProtos } from './buf';

function breakingOfEdited(edit: (proto: string) => string) {
  return withEditedProtos(edit, (dir) => runBuf(['breaking', dir, '--against', committedMainProtos(), '--error-format=json']));
}

describe('buf breaking against the protos committed on main', () => {
  it('finds no breaking change in the working tree', () => {
    expect(runBuf(['breaking', 'protos', '--against', committedMainProtos()])).toEqual({ status: 0, output: '' });
  });

  it('finds none in a copy with only a comment edited (the copying alone breaks nothing)', () => {
    expect(breakingOfEdited((p) => p.replace('// Extends the idle expiry.', '// Extends the idle expiry now.'))).toEqual({
      status: 0,
      output: '',
    });
  });

  it.each([
    { change: 'a removed field', edit: (p: string) => p.replace('  int64 version = 4;\n', ''), rule: 'FIELD_NO_DELETE' },
    { change: 'a renumbered field', edit: (p: string) => p.replace('int64 version = 4;', 'int64 version = 99;'), rule: 'FIELD_NO_DELETE' },
    // Wire-compatible, but the generated TypeScript keeps proto field names, so callers' code breaks.
    {
      change: 'a renamed field',
      edit: (p: string) => p.replace('string except_session_id = 2;', 'string except_id = 2;'),
      rule: 'FIELD_SAME_NAME',
    },
    { change: 'a removed RPC', edit: (p: string) => p.replace(/ {2}rpc TouchSession\(.*\n/, ''), rule: 'RPC_NO_DELETE' },
  ])('reports $change as $rule', ({ edit, rule }) => {
    expect(breakingOfEdited(edit)).toEqual({ status: BUF_FINDINGS, output: expect.stringContaining(`"type":"${rule}"`) });
  });
});
