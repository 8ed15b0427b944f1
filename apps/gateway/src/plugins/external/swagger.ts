import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { sessionCookieName } from '../../auth/session-cookie';

/**
 * OpenAPI 3 from the route schemas, served at /openapi.json, with the UI at
 * /docs (both off with API_DOCS=false, as in production). Shared schemas
 * become components named by their $id.
 */
export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        // 3.1: its schemas are JSON Schema 2020-12, so user_data's key rules (propertyNames) can be stated.
        openapi: '3.1.0',
        info: {
          title: 'Session gateway',
          description: 'Server-minted, server-validated sessions: create, read, update and end the current session over REST.',
          version: '1.0.0',
        },
        tags: [
          { name: 'sessions', description: "The current session and the current user's sessions" },
          { name: 'operations', description: 'Health, readiness and metrics' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token> (API clients)' },
            cookieAuth: {
              type: 'apiKey',
              in: 'cookie',
              name: sessionCookieName(fastify.config.cookieSecure),
              description: 'HttpOnly session cookie (browsers)',
            },
          },
        },
      },
      // @fastify/swagger marks every body schema required; creating a session takes an empty POST by design.
      transformObject: (documentObject) => {
        const openapi = (
          documentObject as { openapiObject: { paths?: Record<string, Record<string, { requestBody?: { required?: boolean } }>> } }
        ).openapiObject;
        const create = openapi.paths?.['/api/sessions']?.post?.requestBody;
        if (create) create.required = false;
        return openapi as never;
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
    });
    // The document is still built (route schemas feed it either way); API_DOCS=false only stops serving it.
    if (!fastify.config.apiDocs) return;
    await fastify.register(swaggerUi, { routePrefix: '/docs' });

    fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  },
  { name: 'swagger', dependencies: ['config'] },
);
