import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The folder of the built web app: WEB_ROOT when set, else `dist/apps/web`
 * in the first folder above `start` that has one (the workspace root, both
 * from the sources and from dist/apps/gateway/main.js). Null when there is
 * no index.html to serve.
 */
export function resolveWebRoot(configured: string, start: string = __dirname): string | null {
  if (configured) {
    const root = resolve(configured);
    return existsSync(join(root, 'index.html')) ? root : null;
  }
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'apps', 'web');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
