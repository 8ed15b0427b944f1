import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { coldGoEnv, runEmbeddedDbBuild } from './embedded-db-build';

/** PATH without any folder that holds a `go` command. */
function pathWithoutGo(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, 'go')))
    .join(delimiter);
}

/** Checks the build spoke only in its own lines (no stack trace, no raw Go output) and ended with `message`. */
function expectOwnLinesEndingWith(output: string, message: RegExp): void {
  const lines = output.split('\n').filter((line) => line.trim());
  expect(lines.filter((line) => !line.startsWith('embedded-db build: '))).toEqual([]);
  expect(lines.at(-1)).toMatch(message);
}

describe('embedded database build failures a newcomer can act on', () => {
  const go = coldGoEnv();
  afterAll(() => go.dispose());

  it('without Go on PATH, says to install Go and which version', async () => {
    const out = join(go.dir, 'no-go', 'embedded-db');
    const build = await runEmbeddedDbBuild(out, { ...go.env, PATH: pathWithoutGo() });
    expect(build.code).toBe(1);
    expectOwnLinesEndingWith(build.output, /^embedded-db build: Go is not installed .*install Go 1\.24 or newer/);
    expect(existsSync(out)).toBe(false);
  });

  it('with the module proxy unreachable and nothing cached, names GOPROXY and the network', async () => {
    const out = join(go.dir, 'offline', 'embedded-db');
    const build = await runEmbeddedDbBuild(out, { ...go.env, GOPROXY: 'off' });
    expect(build.code).toBe(1);
    expectOwnLinesEndingWith(
      build.output,
      /^embedded-db build: cannot download the Go modules \(GOPROXY=off\): .*module proxy must be reachable/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
