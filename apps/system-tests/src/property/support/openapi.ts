import type { HttpClient } from './http-client';

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

export interface OpenApiOperation {
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: unknown }> };
  responses: Record<
    string,
    { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: { $ref?: string } }> }
  >;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes?: Record<string, Record<string, string>>; schemas?: Record<string, unknown> };
}

export async function fetchOpenApi(http: HttpClient): Promise<OpenApiDocument> {
  const res = await http.send({ path: '/openapi.json' });
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as OpenApiDocument;
}

/** "method path" -> the response statuses the document declares for it. */
export async function openApiStatusesOf(http: HttpClient): Promise<Map<string, number[]>> {
  const doc = await fetchOpenApi(http);
  const out = new Map<string, number[]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations))
      out.set(`${method} ${path}`, Object.keys(operation.responses).map(Number));
  }
  return out;
}
