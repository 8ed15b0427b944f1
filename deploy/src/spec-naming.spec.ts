import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { isSpecFile, specNamingProblem } from './spec-naming';

const root = workspaceRoot();
const exists = (path: string) => existsSync(join(root, path));
const tracked = execFileSync('git', ['ls-files', '--cached'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((path) => isSpecFile(path) && exists(path));
describe('the spec-naming rule (docs/testing.md)', () => {
  it('names every tracked spec by the rule', () => {
    const offenders = tracked.map((path) => [path, specNamingProblem(path, exists)]).filter(([, problem]) => problem !== null);
    expect(offenders).toEqual([]);
  });

  it.each([
    ['apps/gateway/src/routes/current-session.integration-spec.ts', ['apps/gateway/src/routes/current-session.ts'], null],
    ['apps/session-service/src/grpc/unary-wrapper.deadline.spec.ts', ['apps/session-service/src/grpc/unary-wrapper.ts'], null],
    ['libs/react-session/src/session-provider.sync.spec.tsx', ['libs/react-session/src/session-provider.tsx'], null],
    ['libs/react-session/src/session-sync.spec.tsx', [], 'no source file'],
    ['apps/session-service/src/sweeper/sweeper-backoff.spec.ts', ['apps/session-service/src/sweeper/sweeper.ts'], 'no source file'],
    ['apps/gateway/src/app.a.b.spec.ts', ['apps/gateway/src/app.ts'], 'is named <source>'],
    ['apps/gateway/src/app.fault-spec.ts', ['apps/gateway/src/app.ts'], 'is named <source>'],
    ['apps/system-tests/src/faults/db-outage.fault-spec.ts', [], null],
    ['apps/system-tests/src/faults/db.outage.fault-spec.ts', [], 'whole-system spec'],
    ['apps/web-e2e/src/expiry.e2e-spec.ts', [], null],
    ['tools/other/src/thing.spec.ts', [], 'specs live in'],
  ])('judges %s', (path, files, problem) => {
    const found = specNamingProblem(path, (p) => files.includes(p));
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});
