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

/** `msg (err.type err.code: err.message)` of every line at error level or above, to show in figures. */
export function errorsLogged(output: string): string[] {
  return logLines(output)
    .filter((line) => line.level >= 50)
    .map((line) => `${line.msg}${line.err ? ` (${[line.err.type, line.err.code].filter(Boolean).join(' ')}: ${line.err.message ?? ''})` : ''}`);
}

/** Request ids the gateway logged as received ("incoming request"). */
export function requestsReceived(output: string): Set<string> {
  return new Set(
    logLines(output)
      .filter((line) => line.msg === 'incoming request' && typeof line.requestId === 'string')
      .map((line) => line.requestId as string),
  );
}
