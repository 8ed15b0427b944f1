import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding nx.json, found from this file so tests work from any cwd. */
export function workspaceRoot(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${start}`);
    dir = parent;
  }
  return dir;
}
