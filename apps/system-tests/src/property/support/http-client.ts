import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface HttpRequest {
  method?: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  /** Sent as is: generated bodies are often not JSON at all. */
  body?: string | Buffer;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
  /** JSON body with `content-type: application/json` (unless headers say otherwise). */
  sendJson(method: string, path: string, body: unknown, headers?: OutgoingHttpHeaders): Promise<HttpResponse>;
  close(): void;
}

/**
 * A real HTTP/1.1 client over keep-alive sockets (node:http rather than
 * fetch: fetch normalises or refuses some of the headers and bodies the
 * properties need to send).
 */
export function createHttpClient(baseUrl: string): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const url = new URL(baseUrl);
  const send = ({ method = 'GET', path, headers = {}, body }: HttpRequest) =>
    new Promise<HttpResponse>((resolve, reject) => {
      // node:http sends a GET or DELETE body with neither Content-Length nor chunking, which is not valid HTTP.
      const length = body === undefined ? {} : { 'content-length': Buffer.byteLength(body) };
      const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...length, ...headers }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    send,
    sendJson: (method, path, body, headers = {}) =>
      send({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    close: () => agent.destroy(),
  };
}
