import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { headingAnchors, headingSlug, isExternal, markdownLinks } from './markdown-links';

const root = workspaceRoot();
const DOCS = join(root, 'docs');

// Built from parts, so that this file does not contain what it looks for.
const OLD_DESIGN_FILE = ['DESIGN', 'md'].join('.');
const FORBIDDEN: readonly { what: string; pattern: RegExp }[] = [
  { what: `${OLD_DESIGN_FILE} (the design record is docs/design.md)`, pattern: new RegExp(OLD_DESIGN_FILE.replace('.', '\\.')) },
  { what: 'a folder beside the repository', pattern: new RegExp(['\\.\\.', 'shared'].join('/')) },
  { what: 'an absolute path to a checkout', pattern: new RegExp(`(^|[\\s'"\`(=:,[])/${'wo'}${'rk'}/`, 'm') },
];

// A root-relative citation such as docs/contracts.md#grpc-errors, in code comments, specs or prose.
const DOCS_CITATION = /(?<![\w./-])docs\/([\w.-]+\.md)(?:#([\w-]+))?/g;

/** Tracked files as they are in the working tree (the lock file is generated, and huge). */
function trackedTextFiles(): { file: string; text: string }[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\0');
  const out: { file: string; text: string }[] = [];
  for (const file of files) {
    if (!file || file.endsWith('package-lock.json')) continue;
    const path = join(root, file);
    if (!existsSync(path) || !statSync(path).isFile()) continue; // deleted in the working tree, or a submodule
    const bytes = readFileSync(path);
    if (bytes.subarray(0, 8_000).includes(0)) continue; // binary
    out.push({ file, text: bytes.toString('utf8') });
  }
  return out;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(path: string): Set<string> {
  let anchors = anchorCache.get(path);
  if (!anchors) {
    anchors = headingAnchors(readFileSync(path, 'utf8'));
    anchorCache.set(path, anchors);
  }
  return anchors;
}

/** Where a relative link points: an absolute path, and the anchor it names, if any. */
function resolveLink(fromFile: string, target: string): { path: string; anchor: string | undefined } {
  const hash = target.indexOf('#');
  const pathPart = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const path = pathPart === '' ? fromFile : resolve(dirname(fromFile), decodeURI(pathPart));
  return { path, anchor };
}

function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  const from = join(root, file);
  for (const { target, line } of markdownLinks(readFileSync(from, 'utf8'))) {
    if (isExternal(target)) continue;
    const { path, anchor } = resolveLink(from, target);
    const where = `${file}:${line} (${target})`;
    if (relative(root, path).startsWith('..')) problems.push(`${where} leaves the repository`);
    else if (!existsSync(path)) problems.push(`${where} names no file`);
    else if (anchor && path.endsWith('.md') && !anchorsOf(path).has(anchor))
      problems.push(`${where} names no heading of ${relative(root, path)}`);
  }
  return problems;
}

const docsFiles = () => (existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md')) : []);

describe('reading markdown as GitHub renders it', () => {
  it('finds links outside code (titles and angle brackets included) and gives headings their anchors', () => {
    const markdown = [
      '# Title',
      '## `user_data` rules',
      '## Title',
      'See [a](a.md#x "a title"), ![an image](<img one.png>) and `[code](code.md)`.',
      '```sh',
      '[fenced](fenced.md)',
      '## not a heading',
      '```',
      '[ref]: ref.md',
    ].join('\n');
    expect(markdownLinks(markdown)).toEqual([
      { target: 'a.md#x', line: 4 },
      { target: 'img one.png', line: 4 },
      { target: 'ref.md', line: 9 },
    ]);
    expect([...headingAnchors(markdown)]).toEqual(['title', 'user_data-rules', 'title-1']);
    expect(headingSlug('503 before 504; [see](x.md) *now*')).toBe('503-before-504-see-now');
    expect(isExternal('https://example.org/a.md')).toBe(true);
    expect(isExternal('mailto:someone@example.org')).toBe(true);
    expect(isExternal('../README.md')).toBe(false);
  });

  it('recognises what the repository must not mention, and leaves look-alikes alone', () => {
    const flagged = (text: string) => FORBIDDEN.filter((f) => f.pattern.test(text)).map((f) => f.what);
    expect(flagged(`as ${OLD_DESIGN_FILE} says`)).toHaveLength(1);
    expect(flagged(`import x from '${['..', 'shared'].join('/')}/x'`)).toHaveLength(1);
    expect(flagged(`cd /${'work'}/main`)).toHaveLength(1);
    expect(flagged('a framework/ folder, docs/design.md, ../README.md')).toEqual([]);
  });
});

describe('docs/ and the links between documents', () => {
  const tracked = trackedTextFiles();

  it('has a tracked file list to check', () => {
    expect(tracked.map((t) => t.file)).toEqual(expect.arrayContaining(['README.md', 'SECURITY.md', 'docs/design.md']));
  });

  it('no tracked file mentions the old design file or a path outside the repository', () => {
    const hits: string[] = [];
    for (const { file, text } of tracked) {
      for (const { what, pattern } of FORBIDDEN) if (pattern.test(text)) hits.push(`${file}: ${what}`);
    }
    expect(hits).toEqual([]);
  });

  it('every docs/ file and heading a tracked file cites exists', () => {
    const missing: string[] = [];
    for (const { file, text } of tracked) {
      for (const [citation, name, anchor] of text.matchAll(DOCS_CITATION)) {
        const path = join(DOCS, name);
        if (!existsSync(path)) missing.push(`${file}: ${citation} (no such file)`);
        else if (anchor && !anchorsOf(path).has(anchor)) missing.push(`${file}: ${citation} (no such heading)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every relative link in the markdown files resolves to a file in the repository, and to a heading when it names one', () => {
    const markdownFiles = new Set([...tracked.map((t) => t.file).filter((f) => f.endsWith('.md')), ...docsFiles().map((f) => `docs/${f}`)]);
    expect([...markdownFiles]).toEqual(expect.arrayContaining(['README.md', 'SECURITY.md', 'docs/design.md']));
    expect([...markdownFiles].flatMap(brokenLinks)).toEqual([]);
  });

  it('docs/design.md links every other docs/*.md file', () => {
    const design = join(DOCS, 'design.md');
    const linked = new Set(
      markdownLinks(readFileSync(design, 'utf8'))
        .filter((l) => !isExternal(l.target))
        .map((l) => resolveLink(design, l.target).path),
    );
    const others = docsFiles().filter((f) => f !== 'design.md');
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((f) => !linked.has(join(DOCS, f)))).toEqual([]);
  });

  it('the README links the design record', () => {
    const links = markdownLinks(readFileSync(join(root, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]);
    expect(links).toContain('docs/design.md');
  });
});
