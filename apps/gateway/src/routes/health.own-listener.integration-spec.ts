import { startEdgeStack, type EdgeStack } from '../testing/edge-stack';

describe('operations endpoints on their own listener (outside clients, real session service)', () => {
  let edge: EdgeStack;
  beforeAll(async () => {
    edge = await startEdgeStack();
  });
  afterAll(async () => edge?.close());

  it('serves /metrics on the operations port only; health stays on the public port for load balancers', async () => {
    const gateway = await edge.listen();
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(404);
    const scraped = await fetch(gateway.metricsUrl);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await scraped.text()).toContain('http_requests_total{method="GET",route="<unmatched>",status="404"} 1');
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    expect((await fetch(new URL('/healthz', gateway.metricsUrl))).status).toBe(404);
  });

  it('serves /docs and /openapi.json by default and not with API_DOCS=false', async () => {
    const open = await edge.listen();
    expect((await fetch(`${open.url}/docs/`)).status).toBe(200);
    expect((await fetch(`${open.url}/openapi.json`)).status).toBe(200);
    const closed = await edge.listen({ API_DOCS: 'false' });
    for (const path of ['/docs', '/docs/', '/docs/static/index.html', '/openapi.json']) {
      expect({ path, status: (await fetch(`${closed.url}${path}`)).status }).toEqual({ path, status: 404 });
    }
    expect((await fetch(`${closed.url}/api/sessions`, { method: 'POST' })).status).toBe(201);
  });

  it('stops the operations listener with the app', async () => {
    const gateway = await edge.listen();
    await gateway.close();
    await expect(fetch(gateway.metricsUrl)).rejects.toThrow();
  });
});
