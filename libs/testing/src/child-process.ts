import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves with the first output line matching `pattern`, rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code once the process is gone (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

export function startProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const listeners = new Set<(line: string) => void>();
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    buffer += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const l of listeners) l(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0))));

  return {
    child,
    exited,
    output: () => buffer,
    waitForLine(pattern, timeoutMs = 30_000) {
      const existing = buffer
        .split('\n')
        .map((l) => l.match(pattern))
        .find(Boolean);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern} from ${command}; output:\n${buffer}`)), timeoutMs);
        const listener = (line: string) => {
          const m = line.match(pattern);
          if (m) done(undefined, m);
        };
        const onExit = () => done(new Error(`${command} exited before printing ${pattern}; output:\n${buffer}`));
        function done(err?: Error, m?: RegExpMatchArray) {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('exit', onExit);
          if (err) reject(err);
          else resolve(m as RegExpMatchArray);
        }
        listeners.add(listener);
        child.once('exit', onExit);
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
