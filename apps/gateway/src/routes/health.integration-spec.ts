import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack';

interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const API_ROUTES: [string, string, string[]][] = [
  ['post', '/api/sessions', ['201', '400', '403', '413', '415', '429']],
  ['get', '/api/sessions', ['200', '401', '403']],
  ['delete', '/api/sessions/{sessionId}', ['204', '400', '401', '403', '404']],
  ['get', '/api/sessions/current', ['200', '401']],
  ['delete', '/api/sessions/current', ['204', '401', '403']],
  ['post', '/api/sessions/current/touch', ['200', '401']],
  ['patch', '/api/sessions/current/data', ['200', '400', '401', '412', '413', '415']],
  ['put', '/api/sessions/current/data', ['200', '400', '401', '412', '413', '415']],
];

describe('operations endpoints (real session service)', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    // Every validation goes to the service, so the gRPC counts below do not depend on whether the
    // feed was ready in time for the near cache to serve the second read (near-cache-spec covers hits).
    stack = await startGatewayStack({ env: { SESSION_CACHE_ENABLED: 'false' } });
  });
  afterAll(async () => stack?.close());

  it('answers liveness and readiness', async () => {
    expect((await stack.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await stack.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok' });
  });

  it('documents every route, its bodies, statuses and security in /openapi.json', async () => {
    const res = await stack.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: object; schemas: object };
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      cookieAuth: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'session' }),
    });
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Session', 'Problem', 'UserData']));
    for (const [method, path, statuses] of API_ROUTES) {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([...statuses, '429', '500', '503', '504']));
      expect(op.responses['500'].content).toHaveProperty(['application/problem+json']);
      if (path !== '/api/sessions' || method !== 'post') expect(op.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    }
    expect(Object.keys(doc.paths['/api/sessions/current/data'].patch.requestBody?.content ?? {})).toEqual([
      'application/merge-patch+json',
      'application/json',
    ]);
    expect(doc.paths['/api/sessions'].post.requestBody?.content).toHaveProperty(['application/json']);
    for (const path of ['/healthz', '/readyz']) expect(doc.paths[path]?.get).toBeDefined();
    expect(doc.paths['/metrics']).toBeUndefined(); // served on the operations listener, not this API
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('serves the API docs UI under /docs', async () => {
    const res = await stack.inject({ url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script: the CSP allows none
  });

  it('counts requests by route pattern, never by raw URL, and gRPC calls by method and code', async () => {
    const { token } = (await stack.inject({ method: 'POST', url: '/api/sessions', payload: {} })).json();
    await stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });
    await stack.inject({ url: '/api/sessions/current', headers: { authorization: `Bearer ${token}` } });
    await stack.inject({
      method: 'DELETE',
      url: '/api/sessions/9b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
      headers: { authorization: `Bearer ${token}` },
    });
    await stack.inject({ url: '/no/such/page' });
    const res = { body: await stack.app.metrics.registry.metrics() };
    expect(res.body).toContain('http_requests_total{method="GET",route="/api/sessions/current",status="200"} 2');
    expect(res.body).toContain('http_requests_total{method="POST",route="/api/sessions",status="201"} 1');
    expect(res.body).toContain('http_requests_total{method="DELETE",route="/api/sessions/:sessionId",status="403"} 1');
    expect(res.body).toContain('route="<unmatched>",status="404"');
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/sessions\/current"\}/);
    expect(res.body).toContain('grpc_client_calls_total{method="ValidateSession",code="OK"} 3');
    expect(res.body).toContain('grpc_client_calls_total{method="CreateSession",code="OK"} 1');
    expect(res.body).not.toContain('9b6f7b4e');
    expect(res.body).not.toContain('/no/such/page');
  });
});
