/** "warn 12, error 3 (first: database unavailable)" from a process's pino lines; empty when it logged nothing at warn or above. */
export function summarizeLog(output: string): string {
  const counts = new Map<string, number>();
  let first: string | undefined;
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    let level = 'other';
    let msg = line;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      level = (entry.level ?? 0) >= 50 ? 'error' : (entry.level ?? 0) >= 40 ? 'warn' : 'info';
      msg = entry.msg ?? line;
    } catch {
      // Not JSON: a Node warning or a crash trace on stderr; counted as such.
    }
    if (level === 'info') continue;
    counts.set(level, (counts.get(level) ?? 0) + 1);
    first ??= msg.slice(0, 120);
  }
  if (counts.size === 0) return '';
  return `${[...counts].map(([level, n]) => `${level} ${n}`).join(', ')} (first: ${first})`;
}
