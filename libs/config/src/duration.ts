const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Matches what parseDuration accepts: a whole number with a unit, or plain seconds. */
export const DURATION_PATTERN = '^\\d+(ms|s|m|h|d)?$';

/** "90s", "15m", "24h", "7d", "250ms", or bare seconds ("3600") -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 90s, 15m, 24h, 7d)`);
  return Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS];
}
