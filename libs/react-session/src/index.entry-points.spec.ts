/// <reference types="node" />
// A Node-side check of the source files (the library itself is typed for the browser only).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import * as publicApi from './index';
import * as testingApi from './testing';

/** Every file of this library that `entry` reaches through relative imports (type-only ones included). */
function reachableFrom(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8')).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = resolve(dirname(file), fileName);
      const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => ts.sys.fileExists(candidate));
      if (!target) throw new Error(`${relative(__dirname, file)} imports ${fileName}, which does not resolve`);
      visit(target);
    }
  };
  visit(join(__dirname, entry));
  return [...seen].map((file) => relative(__dirname, file));
}

describe('entry points', () => {
  it('the public one reaches no test double, so none can land in a production bundle', () => {
    const files = reachableFrom('index.ts');
    expect(files).toEqual(expect.arrayContaining(['session-controller.ts', 'session-provider.tsx']));
    expect(files.filter((file) => file.startsWith('testing'))).toEqual([]);
    expect(publicApi).not.toHaveProperty('createFakeSessionApi');
  });

  it('the testing one offers the doubles', () => {
    expect(Object.keys(testingApi).sort()).toEqual(['createFakeLockManager', 'createFakeOrigin', 'createFakeSessionApi']);
  });
});
