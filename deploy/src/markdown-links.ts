/**
 * Just enough markdown reading to check links the way GitHub renders them:
 * headings become anchors, links outside code are followed. No markdown
 * library is a dependency, and these few rules cover what the repository writes.
 */

export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

interface ProseLine {
  readonly raw: string;
  /** The line with inline code spans blanked: links there are examples, not links. */
  readonly text: string;
  readonly line: number;
}

/** Lines outside fenced code blocks. */
function proseLines(markdown: string): ProseLine[] {
  const out: ProseLine[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((raw, index) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (opener) {
      if (fence === null) fence = opener[1][0].repeat(opener[1].length);
      else if (raw.trim().startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push({ raw, text: raw.replace(/(`+)[^`]*?\1/g, ''), line: index + 1 });
  });
  return out;
}

/**
 * The anchor GitHub gives a heading: the rendered text, lower-cased, without
 * punctuation other than `-` and `_`, spaces turned into `-`.
 */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a document; repeated headings get `-1`, `-2`, … as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { raw } of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(raw);
    if (!heading) continue;
    const base = headingSlug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Inline links and images `[text](target "title")` and reference definitions `[id]: target`, outside code. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { text, line } of proseLines(markdown)) {
    for (const m of text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: m[1].replace(/^<|>$/g, ''), line });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(text);
    if (definition) links.push({ target: definition[1].replace(/^<|>$/g, ''), line });
  }
  return links;
}

/** Links that leave the repository's files: a scheme (https:, mailto:) or a protocol-relative URL. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}
