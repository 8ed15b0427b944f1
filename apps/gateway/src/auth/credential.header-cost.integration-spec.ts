import { request as httpRequest, Agent } from 'node:http';
import { parseBearer } from './credential';
import { quantile, startEdgeStack, type EdgeStack, type ListeningGateway } from '../testing/edge-stack';

// Each of these cost a backtracking regex 184-325 ms per request (review finding); sizes stay
// under Node's 16 KiB header block so the gateway, not the HTTP parser, has to read them.
const SHAPES: Record<string, string> = {
  spaces: `Bearer${' '.repeat(15_000)}a b`,
  tabs: `Bearer${'\t'.repeat(15_000)}a\tb`,
  mixed: `Bearer${' \t'.repeat(7_500)}a \t b${' \t'.repeat(100)}`,
  huge: `Bearer ${'a'.repeat(15_000)}`,
  trailing: `Bearer a${' '.repeat(15_000)}b`,
};

/** One GET over a keep-alive agent; resolves with the status and the milliseconds it took. */
function timedGet(agent: Agent, url: string, headers: Record<string, string> = {}): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Authorization header parsing cost', () => {
  it.each(Object.entries(SHAPES))('parses the %s shape in linear time', (_name, header) => {
    const iterations = 2_000;
    const started = performance.now();
    for (let i = 0; i < iterations; i++) parseBearer(header);
    expect((performance.now() - started) / iterations).toBeLessThan(5);
  });

  describe('against the built gateway (its own process)', () => {
    let edge: EdgeStack;
    let gateway: ListeningGateway;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    beforeAll(async () => {
      edge = await startEdgeStack();
      // Limits out of the way: this measures parsing cost, not throttling.
      gateway = await edge.spawn({ INVALID_TOKEN_LIMIT: '100000' });
    });
    afterAll(async () => {
      agent.destroy();
      await edge?.close();
    });

    // Absolute timings swing with whatever else the machine runs, so each measurement is paired with
    // the same measurement for an ordinary bad token padded to the same size by another header (same
    // bytes to send and parse), so only the reading of Authorization differs.
    const ORDINARY = `Bearer ${'x'.repeat(20)}`;
    const ordinaryLike = (authorization: string) => ({ authorization: ORDINARY, 'x-padding': 'p'.repeat(authorization.length) });
    const current = () => `${gateway.url}/api/sessions/current`;

    it.each(Object.entries(SHAPES))('answers the %s shape with 401 within 5 ms of an ordinary bad token', async (_name, authorization) => {
      const slow: number[] = [];
      const ordinary: number[] = [];
      for (let i = 0; i < 30; i++) {
        const a = await timedGet(agent, current(), { authorization });
        const b = await timedGet(agent, current(), ordinaryLike(authorization));
        expect([a.status, b.status]).toEqual([401, 401]);
        slow.push(a.ms);
        ordinary.push(b.ms);
      }
      expect(quantile(slow, 0.5) - quantile(ordinary, 0.5)).toBeLessThan(5);
    });

    /** /healthz latencies (p99) while eight clients keep sending these headers. */
    const healthUnderLoad = async (headers: readonly Record<string, string>[]) => {
      let attacking = true;
      const attacker = async (n: number) => {
        let sent = 0;
        while (attacking) await timedGet(agent, current(), headers[(n + sent++) % headers.length]);
        return sent;
      };
      const attackers = Array.from({ length: 8 }, (_, n) => attacker(n));
      const probe = new Agent({ keepAlive: true, maxSockets: 1 });
      const latencies: number[] = [];
      for (let i = 0; i < 200; i++) {
        const { status, ms } = await timedGet(probe, `${gateway.url}/healthz`);
        expect(status).toBe(200);
        latencies.push(ms);
      }
      attacking = false;
      const sent = (await Promise.all(attackers)).reduce((a, b) => a + b, 0);
      probe.destroy();
      expect(sent).toBeGreaterThan(200); // the load really ran alongside the probes
      return quantile(latencies, 0.99);
    };

    it('keeps /healthz fast while eight clients send the slow shapes', async () => {
      const shapes = Object.values(SHAPES);
      const slow = await healthUnderLoad(shapes.map((authorization) => ({ authorization })));
      const ordinary = await healthUnderLoad(shapes.map(ordinaryLike));
      // The backtracking regex put p99 at 1.4-1.5 s. The bound sits far below that and far above what a
      // busy CI machine does to a p99 of 200 probes (one scheduling hiccup is the 2nd-worst sample: 83 ms
      // against an ordinary 20 ms was seen with the whole suite running): under 250 ms, or no worse than
      // three times the same load with ordinary tokens padded to the same size, plus 50 ms.
      expect(slow).toBeLessThan(Math.max(250, 3 * ordinary + 50));
    });
  });
});
