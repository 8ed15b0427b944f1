import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { stopProcess } from './stop-process';

describe('stopProcess', () => {
  it('returns once every thread of the process is stopped, and a resumed process runs on', async () => {
    // A busy child (node runs several threads once started), so "stopped" must hold for each of them.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1); for (;;) {}'], { stdio: 'ignore' });
    try {
      await stopProcess(child.pid as number);
      const states = readdirSync(`/proc/${child.pid}/task`).map((tid) => {
        const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0];
      });
      expect(new Set(states)).toEqual(new Set(['T']));
      process.kill(child.pid as number, 'SIGCONT');
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
