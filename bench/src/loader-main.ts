import { runGrpcValidateJob, type GrpcValidateJob } from './grpc-load';
import type { HttpJob } from './http-job';
import { runHttpJob } from './http-load';
import type { LoadResult } from './load-result';
import { runMongoFindJob, type MongoFindJob } from './mongo-load';

/**
 * Entry of the loader process. The orchestrator forks one per phase so the
 * load generator never shares an event loop with what it measures.
 */
export type LoadJob = HttpJob | GrpcValidateJob | MongoFindJob;

export type LoaderReply = { result: LoadResult } | { error: string };

function run(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'http':
      return runHttpJob(job);
    case 'grpc-validate':
      return runGrpcValidateJob(job);
    case 'mongo-find':
      return runMongoFindJob(job);
  }
}

// The orchestrator is gone (killed, crashed): its load would only burden whatever is still running.
process.once('disconnect', () => process.exit(1));

process.once('message', (job: LoadJob) => {
  const cpuBefore = process.cpuUsage();
  run(job).then(
    (result) => {
      const cpu = process.cpuUsage(cpuBefore);
      const reply: LoaderReply = { result: { ...result, loaderCpuS: (cpu.user + cpu.system) / 1e6 } };
      process.send?.(reply, () => process.exit(0));
    },
    (err: unknown) =>
      process.send?.({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies LoaderReply, () =>
        process.exit(1),
      ),
  );
});
