import { Agent, request } from 'node:http';
import type { HttpJob } from './http-job';
import type { LoadResult } from './load-result';
import { runOperations } from './op-loops';
import { safetyCap } from './open-loop-schedule';

/**
 * One request of `job` over a keep-alive connection pool: resolves on a 2xx
 * answer, rejects with `HTTP <status>` otherwise.
 */
export function httpOperation(job: HttpJob, agent: Agent): (i: number) => Promise<void> {
  const origin = new URL(job.url);
  return (i) =>
    new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = { [job.credentialHeader]: job.credentials[i % job.credentials.length] };
      const body = job.mergePatch ? JSON.stringify({ bench_counter: i }) : undefined;
      if (body) headers['content-type'] = 'application/merge-patch+json';
      const req = request({ host: origin.hostname, port: origin.port, method: job.method, path: job.path, headers, agent }, (res) => {
        res.resume();
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`HTTP ${status}`));
        });
        res.once('error', reject);
      });
      req.once('error', reject);
      req.end(body);
    });
}

/**
 * The fixed-rate phases of an HTTP target, evenly paced (op-loops' open loop)
 * over keep-alive connections opened as needed, up to the phase's safety cap:
 * a request that finds every connection busy waits in the agent's queue, and
 * that wait is part of its latency. Not autocannon's `overallRate`: that
 * gives each connection a quota per second and resets it every second, so
 * each second's requests leave in one burst at its start and the measured
 * latency is a saturated burst's, whatever the offered rate.
 * Also the counted passes (`pacing.total`, saturation over `concurrency` connections).
 */
export async function runPacedHttpJob(job: HttpJob): Promise<LoadResult> {
  const { ratePerSecond, maxInFlight, concurrency } = job.pacing;
  const maxSockets = ratePerSecond ? (maxInFlight ?? safetyCap(ratePerSecond)) : concurrency;
  const agent = new Agent({ keepAlive: true, maxSockets });
  try {
    return await runOperations(httpOperation(job, agent), job.pacing);
  } finally {
    agent.destroy();
  }
}
