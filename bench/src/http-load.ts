import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { runPacedHttpJob } from './http-paced';
import { LatencyRecorder } from './latency-recorder';
import type { HttpJob } from './http-job';
import type { LoadResult } from './load-result';

/**
 * Saturation runs autocannon in this process (the loader, never a service
 * process); a fixed rate, or a counted pass, runs the loop of http-paced.ts. Each
 * request takes the next credential, so the load spreads over the whole
 * pool of sessions instead of hammering one cached document.
 */
export async function runHttpJob(job: HttpJob): Promise<LoadResult> {
  if (job.pacing.ratePerSecond || job.pacing.total) return runPacedHttpJob(job);
  const latency = new LatencyRecorder();
  let next = 0;
  let ok = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const instance = autocannon(
    {
      url: job.url,
      connections: job.pacing.concurrency,
      duration: job.pacing.durationS,
      timeout: 10,
      requests: [
        {
          method: job.method,
          path: job.path,
          setupRequest: (request) => {
            const i = next++;
            const headers = { ...request.headers, [job.credentialHeader]: job.credentials[i % job.credentials.length] };
            if (!job.mergePatch) return { ...request, headers };
            headers['content-type'] = 'application/merge-patch+json';
            return { ...request, headers, body: JSON.stringify({ bench_counter: i }) };
          },
        },
      ],
    },
    () => undefined,
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) {
      ok++;
      latency.recordMs(responseTime);
    } else {
      firstError ??= `HTTP ${statusCode}`;
    }
  });
  instance.on('reqError', (err: Error) => {
    firstError ??= err.message;
  });
  const result = await new Promise<autocannon.Result>((resolve) => instance.on('done', resolve));
  const durationS = (performance.now() - started) / 1_000;
  return {
    ok,
    errors: result.non2xx + result.errors + result.timeouts,
    durationS,
    perSecond: ok / durationS,
    latency: latency.summary(),
    firstError,
  };
}
