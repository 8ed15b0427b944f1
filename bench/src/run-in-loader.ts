import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult } from './load-result';
import type { LoadJob, LoaderReply } from './loader-main';

const running = new Set<ChildProcess>();

/** Ends the loaders at work, so a stopping bench does not drain its services against their load. */
export function killLoaders(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Runs one load job in a fresh loader process (dist/bench/loader-main.js) and returns its figures. */
export function runInLoader(job: LoadJob): Promise<LoadResult> {
  const child = fork(join(__dirname, 'loader-main.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let reply: LoaderReply | undefined;
    child.once('message', (message: LoaderReply) => (reply = message));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (reply && 'result' in reply) resolve(reply.result);
      else reject(new Error(`loader (${job.kind}) failed with exit code ${code}: ${reply && 'error' in reply ? reply.error : 'no reply'}`));
    });
    child.send(job);
  });
}
