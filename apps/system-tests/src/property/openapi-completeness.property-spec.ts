import { MERGE_PATCH_CONTENT_TYPE, PROBLEM_CODES, PROBLEM_CONTENT_TYPE } from '@session/rest-contract';
import { fetchOpenApi, type OpenApiDocument, type OpenApiOperation } from './support/openapi';
import { startPropertyStack, type PropertyStack } from './support/property-stack';

interface Expected {
  /** Statuses the REST table of docs/contracts.md#routes gives the route (success first). */
  statuses: number[];
  secured: boolean;
  body?: string[];
  /** Whether the route refuses a request without a body (POST /api/sessions takes none: an empty create). */
  bodyRequired?: boolean;
  headers: string[];
  path?: string[];
}

const ID_HEADERS = ['x-request-id'];
const WRITE_HEADERS = ['x-request-id', 'if-match'];
const ROUTES: Record<string, Expected> = {
  'post /api/sessions': {
    statuses: [201, 400, 413, 429],
    secured: false,
    body: ['application/json'],
    bodyRequired: false,
    headers: ID_HEADERS,
  },
  'get /api/sessions/current': { statuses: [200, 401], secured: true, headers: ID_HEADERS },
  'patch /api/sessions/current/data': {
    statuses: [200, 400, 401, 412, 413],
    secured: true,
    body: [MERGE_PATCH_CONTENT_TYPE, 'application/json'],
    bodyRequired: true,
    headers: WRITE_HEADERS,
  },
  'put /api/sessions/current/data': {
    statuses: [200, 400, 401, 412, 413],
    secured: true,
    body: ['application/json'],
    bodyRequired: true,
    headers: WRITE_HEADERS,
  },
  'post /api/sessions/current/touch': { statuses: [200, 401], secured: true, headers: ID_HEADERS },
  'delete /api/sessions/current': { statuses: [204, 401], secured: true, headers: ID_HEADERS },
  'get /api/sessions': { statuses: [200, 401, 403], secured: true, headers: ID_HEADERS },
  'delete /api/sessions/{sessionId}': { statuses: [204, 401, 403, 404], secured: true, headers: ID_HEADERS, path: ['sessionId'] },
  'delete /api/sessions': { statuses: [200, 400, 401, 403], secured: true, headers: ID_HEADERS },
  'post /api/accounts': {
    statuses: [201, 400, 401, 403, 409, 429],
    secured: true,
    body: ['application/json'],
    bodyRequired: true,
    headers: ID_HEADERS,
  },
  'post /api/sessions/current/sign-in': {
    statuses: [200, 400, 401, 403, 429],
    secured: true,
    body: ['application/json'],
    bodyRequired: true,
    headers: ID_HEADERS,
  },
  'post /api/accounts/current/password': {
    statuses: [204, 400, 401, 403, 429],
    secured: true,
    body: ['application/json'],
    bodyRequired: true,
    headers: ID_HEADERS,
  },
  'get /healthz': { statuses: [200], secured: false, headers: [] },
  'get /readyz': { statuses: [200, 503], secured: false, headers: [] },
};

describe('/openapi.json declares every route completely', () => {
  let stack: PropertyStack;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    stack = await startPropertyStack();
    doc = await fetchOpenApi(stack.http);
  });
  afterAll(async () => stack?.close());

  const operation = (key: string): OpenApiOperation => {
    const [method, path] = key.split(' ');
    const op = doc.paths[path]?.[method];
    expect({ key, declared: op !== undefined }).toEqual({ key, declared: true });
    return op as OpenApiOperation;
  };

  it('has the bearer and cookie security schemes and the shared Problem schema with every stable code', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: 'session' },
    });
    const problem = doc.components.schemas?.['Problem'] as { required: string[]; properties: { code: { enum: string[] } } };
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code']));
    expect([...problem.properties.code.enum].sort()).toEqual([...PROBLEM_CODES].sort());
  });

  it.each(Object.entries(ROUTES))('%s declares its security, body, parameters and documented statuses', (key, expected) => {
    const op = operation(key);
    if (expected.secured) expect(op.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    else expect(op.security ?? []).toEqual([]);
    if (expected.body) {
      expect(Object.keys(op.requestBody?.content ?? {}).sort()).toEqual([...expected.body].sort());
      expect({ key, required: op.requestBody?.required ?? false }).toEqual({ key, required: expected.bodyRequired });
    } else {
      expect(op.requestBody).toBeUndefined();
    }
    const params = op.parameters ?? [];
    expect(
      params
        .filter((p) => p.in === 'header')
        .map((p) => p.name)
        .sort(),
    ).toEqual([...expected.headers].sort());
    const pathParams = params.filter((p) => p.in === 'path');
    expect(pathParams.map((p) => p.name)).toEqual(expected.path ?? []);
    for (const p of pathParams) expect(p).toMatchObject({ required: true, schema: { type: 'string', format: 'uuid' } });
    expect(Object.keys(op.responses).map(Number)).toEqual(expect.arrayContaining(expected.statuses));
  });

  it('describes every response: problems as problem+json Problem, successes as JSON (204 empty), throttling with Retry-After, session reads with ETag', () => {
    const responses = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.responses).map(([status, response]) => ({ at: `${method} ${path} ${status}`, status: Number(status), response })),
      ),
    );
    const PROBLEM = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
    // Every rule broken, listed at once, so one run shows the whole gap.
    const broken = responses.flatMap(({ at, status, response }) => {
      const types = Object.keys(response.content ?? {});
      const success = at.startsWith('get /metrics') ? ['text/plain'] : ['application/json'];
      return [
        !response.description && `${at}: no description`,
        status >= 400 && JSON.stringify(response.content) !== JSON.stringify(PROBLEM) && `${at}: not a problem+json Problem`,
        status === 204 && types.length > 0 && `${at}: 204 with a body`,
        status < 400 &&
          status !== 204 &&
          JSON.stringify(types) !== JSON.stringify(success) &&
          `${at}: ${types.join(',')} instead of ${success}`,
        status === 429 && !Object.keys(response.headers ?? {}).includes('Retry-After') && `${at}: no Retry-After`,
      ].filter(Boolean);
    });
    expect(responses.length).toBeGreaterThan(60);
    expect(broken).toEqual([]);
    for (const key of [
      'get /api/sessions/current',
      'patch /api/sessions/current/data',
      'put /api/sessions/current/data',
      'post /api/sessions/current/touch',
    ]) {
      expect(Object.keys(operation(key).responses['200'].headers ?? {})).toContain('ETag');
    }
    expect(Object.keys(operation('post /api/sessions').responses['201'].headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'Set-Cookie']),
    );
    for (const key of ['post /api/accounts', 'post /api/sessions/current/sign-in']) {
      const success = operation(key).responses[key === 'post /api/accounts' ? '201' : '200'];
      expect(Object.keys(success.headers ?? {})).toEqual(expect.arrayContaining(['ETag', 'Set-Cookie']));
    }
  });
});
