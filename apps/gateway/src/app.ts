import type { GatewayConfig } from '@session/config';
import { MERGE_PATCH_CONTENT_TYPE, PROBLEM_CONTENT_TYPE } from '@session/rest-contract';
import type { SessionServiceClient } from '@session/proto';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Duplex } from 'node:stream';
import type { DestinationStream } from 'pino';
import accountsClient from './plugins/app/accounts-client';
import errorHandler from './plugins/app/error-handler';
import bodyDepth from './plugins/app/body-depth';
import metrics from './plugins/app/metrics';
import { undeclaredMethods } from './plugins/app/method-not-allowed';
import requestContext from './plugins/app/request-context';
import sessionAuth from './plugins/app/session-auth';
import sessionCache from './plugins/app/session-cache';
import sessionClient from './plugins/app/session-client';
import webApp from './plugins/app/web-app';
import configPlugin from './plugins/external/config';
import cookie from './plugins/external/cookie';
import cors from './plugins/external/cors';
import helmet from './plugins/external/helmet';
import rateLimit from './plugins/external/rate-limit';
import swagger from './plugins/external/swagger';
import { toProblem } from './errors/to-problem';
import { requestIdFrom } from './request-id';
import authenticatedRoutes from './routes/authenticated';
import createSessionRoutes from './routes/create-session';
import healthRoutes from './routes/health';
import { sharedSchemas } from './schemas/shared-schemas';
import { resolveWebRoot } from './web-root';

export interface GatewayAppOptions {
  config: GatewayConfig;
  /** A ready-made gRPC client (tests); by default one is created from the configuration. */
  sessionClient?: SessionServiceClient;
  /** The built web app's folder; by default resolved from WEB_ROOT or dist/apps/web. */
  webRoot?: string | null;
}

/**
 * The gateway as a plugin: infrastructure first, then the app's own
 * plugins, then routes. It never listens; main.ts (or a test) does.
 */
export const gatewayApp: FastifyPluginAsync<GatewayAppOptions> = async (fastify, options) => {
  const { config } = options;
  for (const schema of sharedSchemas(config.userDataMaxBytes)) fastify.addSchema(schema);
  // JSON merge patch bodies are JSON; anything else (text/plain included) is refused with 415.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(MERGE_PATCH_CONTENT_TYPE, { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));

  // First, so it sees every route; its answering half comes after the last one.
  const methods = undeclaredMethods();
  await fastify.register(methods.collect);
  await fastify.register(configPlugin, { config });
  await fastify.register(helmet);
  await fastify.register(cookie);
  await fastify.register(cors);
  await fastify.register(rateLimit);
  await fastify.register(swagger);

  await fastify.register(errorHandler);
  await fastify.register(bodyDepth);
  await fastify.register(requestContext);
  await fastify.register(metrics);
  await fastify.register(sessionClient, { client: options.sessionClient });
  await fastify.register(accountsClient);
  await fastify.register(sessionCache);
  await fastify.register(sessionAuth);
  await fastify.register(webApp, { root: options.webRoot === undefined ? resolveWebRoot(config.webRoot) : options.webRoot });

  await fastify.register(healthRoutes);
  await fastify.register(createSessionRoutes);
  await fastify.register(authenticatedRoutes);
  await fastify.register(methods.answer);
};

export interface BuildAppOptions extends Omit<GatewayAppOptions, 'config'> {
  /** Log through pino at LOG_LEVEL to this stream (tests capture lines); without it, no logger unless `logger` is true. */
  logStream?: DestinationStream;
  /** Log to stdout at LOG_LEVEL (main.ts). */
  logger?: boolean;
  /** Socket timeouts, set by main.ts for a listening server. */
  connectionTimeout?: number;
  requestTimeout?: number;
}

/** Never logged: they hold the session token. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export function serverOptions(config: GatewayConfig, options: BuildAppOptions = {}): FastifyServerOptions {
  const logging = options.logStream !== undefined || options.logger === true;
  return {
    logger: logging
      ? {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          ...(options.logStream ? { stream: options.logStream } : {}),
        }
      : false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    // The same field name as the session service's logs, so one id finds both sides of a call.
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.bodyLimitBytes,
    // A hop count or proxy addresses, never `true` (config refuses it): the client writes the left of X-Forwarded-For.
    trustProxy: trustProxyOption(config.trustProxy),
    ...(options.connectionTimeout === undefined ? {} : { connectionTimeout: options.connectionTimeout }),
    ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
    // While closing, Fastify answers new requests itself (return503OnClosing, left on): 503 with
    // `Connection: close` and its own small JSON body, not problem+json. Kept on purpose: the answer
    // comes before routing, hooks and the "incoming request" log line, so a draining gateway does no
    // work for a request it turns away, and the logs only show requests it actually took on.
    // Additional properties are errors (not silently dropped), and bodies are not coerced.
    // Type lists (user_data's scalars) are plain JSON Schema; Ajv's strict mode only warns about them unless allowed.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allowUnionTypes: true } },
    clientErrorHandler: answerClientError,
    // Long enough that an over-long id reaches the route and its schema (400), not the router's bare 414.
    routerOptions: { maxParamLength: 512 },
    // Errors raised before routing (a malformed percent-escape in the URL) answer as problem+json too.
    frameworkErrors: (error, request, reply) => {
      const { problem } = toProblem(Object.assign(error, { statusCode: 400 }), {
        requestId: request.id,
        instance: request.url.split('?')[0],
        sentIfMatch: false,
      });
      // The generic reply type is tied to route schemas; this one is answered before any route.
      void (reply as unknown as FastifyReply)
        .code(400)
        .header('x-request-id', request.id)
        .header('cache-control', 'no-store')
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem);
    },
  };
}

/**
 * Requests Node's HTTP parser refuses (a control character in a header, an oversized header block)
 * never reach Fastify's handlers; they still get a problem+json answer, then the socket closes.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    code: 'bad_request',
    detail: 'the request could not be parsed',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Fastify's form of TRUST_PROXY; a hop count becomes the function Fastify itself would build (its types take no number). */
function trustProxyOption(trust: GatewayConfig['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust === false ? false : [...trust];
}

/** A ready-to-listen (or inject) gateway for this configuration. */
export async function buildApp(config: GatewayConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config, options));
  await app.register(fp(gatewayApp, { name: 'gateway' }), {
    config,
    sessionClient: options.sessionClient,
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
  });
  return app;
}
