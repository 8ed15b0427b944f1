/** One pino line of a child process, as far as these specs read it. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly requestId?: string;
  readonly err?: { message?: string; code?: string; type?: string };
  readonly [field: string]: unknown;
}

/** The JSON log lines of a process's output (anything else it printed is skipped). */
export function logLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of output.split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      // a partial line at the end of the buffer
    }
  }
  return lines;
}

/**
 * Error-level lines (and above) counted by `msg (err.type err.code: err.message)`, the
 * message cut at its first comma and its numbers blanked, so figures show which failures
 * a process logged without repeating each one.
 */
export function errorsLogged(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of logLines(output)) {
    if (line.level < 50) continue;
    const err = line.err
      ? ` (${[line.err.type, line.err.code].filter(Boolean).join(' ')}: ${(line.err.message ?? '').split(',')[0].replace(/\d+(\.\d+)?/g, '#')})`
      : '';
    const key = `${line.msg}${err}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Request ids the gateway logged as received ("incoming request"). */
export function requestsReceived(output: string): Set<string> {
  return new Set(
    logLines(output)
      .filter((line) => line.msg === 'incoming request' && typeof line.requestId === 'string')
      .map((line) => line.requestId as string),
  );
}

/**
 * Milliseconds the gateway itself took per request id, from receiving the request to answering it
 * (Fastify's `responseTime` on "request completed"): the gateway's own clock, which the time a
 * request waited to be read on a starved machine does not inflate.
 */
export function answerTimes(output: string): Map<string, number> {
  const times = new Map<string, number>();
  for (const line of logLines(output)) {
    if (line.msg === 'request completed' && typeof line.requestId === 'string' && typeof line.responseTime === 'number') {
      times.set(line.requestId, line.responseTime);
    }
  }
  return times;
}
