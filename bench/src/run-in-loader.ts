import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult } from './load-result';
import type { LoadJob, LoaderReply } from './loader-main';

/** Runs one load job in a fresh loader process (dist/bench/loader-main.js) and returns its figures. */
export function runInLoader(job: LoadJob): Promise<LoadResult> {
  const child = fork(join(__dirname, 'loader-main.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
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
