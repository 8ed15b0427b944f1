import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveWebRoot } from './web-root';

describe('resolveWebRoot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'web-root-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses WEB_ROOT when it holds an index.html, else nothing', () => {
    const web = join(dir, 'site');
    mkdirSync(web);
    expect(resolveWebRoot(web)).toBeNull();
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
    expect(resolveWebRoot(web)).toBe(web);
  });

  it('finds dist/apps/web above the start folder', () => {
    const built = join(dir, 'repo', 'dist', 'apps', 'web');
    mkdirSync(built, { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html>');
    const start = join(dir, 'repo', 'dist', 'apps', 'gateway');
    mkdirSync(start, { recursive: true });
    expect(resolveWebRoot('', start)).toBe(built);
  });

  it('is null when no folder above has one', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'no-web-'));
    expect(resolveWebRoot('', lonely)).toBeNull();
    rmSync(lonely, { recursive: true, force: true });
  });
});
