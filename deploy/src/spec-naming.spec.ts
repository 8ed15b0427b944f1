import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { isSpecFile, specNamingProblem } from './spec-naming';

const root = workspaceRoot();
const exists = (path: string) => existsSync(join(root, path));
const tracked = execFileSync('git', ['ls-files', '--cached'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((path) => isSpecFile(path) && exists(path));
// Specs named before the rule, until tools/scripts/rename-specs.sh has run (it deletes each entry it renames).
const ALLOW_LIST = 'deploy/src/spec-naming.allow-list';
const notYetRenamed = readFileSync(join(root, ALLOW_LIST), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('the spec-naming rule (docs/testing.md)', () => {
  it('names every tracked spec by the rule, apart from the allow-listed ones', () => {
    const offenders = tracked
      .filter((path) => !notYetRenamed.includes(path))
      .map((path) => [path, specNamingProblem(path, exists)])
      .filter(([, problem]) => problem !== null);
    expect(offenders).toEqual([]);
  });

  // An entry may name a spec another change has not committed yet; one that meets the rule is stale.
  it(`lists in ${ALLOW_LIST} only specs that still break the rule`, () => {
    expect(notYetRenamed.filter((path) => specNamingProblem(path, exists) === null)).toEqual([]);
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
