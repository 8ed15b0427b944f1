/** The most severe first: the line that explains a failure is quoted before the noise. */
const SEVERITY = ['error', 'warn', 'other'] as const;
type Level = (typeof SEVERITY)[number];

/**
 * "warn 12, error 3 (first error: database unavailable: database is locked; first warn: touch failed)"
 * from a process's pino lines; empty when it logged nothing at warn or above. The first line of each
 * level is quoted with its error's message and cause (pino's `err`), since a count alone cannot say
 * what failed.
 */
export function summarizeLog(output: string): string {
  const counts = new Map<Level, number>();
  const first = new Map<Level, string>();
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    let level: Level | 'info' = 'other';
    let msg = line;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; cause?: { message?: string } } };
      level = (entry.level ?? 0) >= 50 ? 'error' : (entry.level ?? 0) >= 40 ? 'warn' : 'info';
      msg = [entry.msg ?? line, entry.err?.message, entry.err?.cause?.message].filter(Boolean).join(': ');
    } catch {
      // Not JSON: a Node warning or a crash trace on stderr; counted as such.
    }
    if (level === 'info') continue;
    counts.set(level, (counts.get(level) ?? 0) + 1);
    if (!first.has(level)) first.set(level, msg.slice(0, 160));
  }
  if (counts.size === 0) return '';
  const quoted = SEVERITY.filter((level) => first.has(level)).map((level) => `first ${level}: ${first.get(level)}`);
  return `${[...counts].map(([level, n]) => `${level} ${n}`).join(', ')} (${quoted.join('; ')})`;
}
