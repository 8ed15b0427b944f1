import { Agent, createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpJob } from './http-job';
import { httpOperation, runPacedHttpJob } from './http-paced';

type Seen = { method?: string; auth?: string; contentType?: string; body: string; at: number };

describe('paced HTTP load', () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method,
          auth: req.headers.authorization,
          contentType: req.headers['content-type'],
          body,
          at: performance.now(),
        });
        res.statusCode = req.headers.authorization === 'Bearer bad' ? 401 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => seen.splice(0));

  const job = (over: Partial<HttpJob> = {}): HttpJob => ({
    kind: 'http',
    url,
    method: 'GET',
    path: '/api/sessions/current',
    credentialHeader: 'authorization',
    credentials: ['Bearer a', 'Bearer b'],
    pacing: { concurrency: 4, durationS: 1 },
    ...over,
  });

  it('rotates the credentials, sends a merge patch body on PATCH and rejects a non-2xx answer', async () => {
    const agent = new Agent({ keepAlive: true });
    const get = httpOperation(job(), agent);
    await get(0);
    await get(1);
    await httpOperation(job({ method: 'PATCH', mergePatch: true }), agent)(7);
    await expect(httpOperation(job({ credentials: ['Bearer bad'] }), agent)(0)).rejects.toThrow('HTTP 401');
    agent.destroy();
    expect(seen.map((s) => [s.method, s.auth])).toEqual([
      ['GET', 'Bearer a'],
      ['GET', 'Bearer b'],
      ['PATCH', 'Bearer b'],
      ['GET', 'Bearer bad'],
    ]);
    expect(seen[2]).toMatchObject({ contentType: 'application/merge-patch+json', body: '{"bench_counter":7}' });
  });

  it('spreads the requests evenly over each second instead of sending them in one burst', async () => {
    const result = await runPacedHttpJob(job({ pacing: { concurrency: 4, durationS: 1, ratePerSecond: 100 } }));
    expect(result.ok).toBeGreaterThanOrEqual(95);
    expect(result.errors).toBe(0);
    // At 100/s the gap between consecutive requests is about 10 ms; a per-second burst would send them all at once.
    const firstHalf = seen.filter((s) => s.at - seen[0].at < 500).length;
    expect(firstHalf).toBeGreaterThan(35);
    expect(firstHalf).toBeLessThan(65);
  });
});
