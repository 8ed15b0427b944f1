import type { FastifyPluginAsync, FastifySchema, RouteOptions } from 'fastify';
import { COMMON_FAILURES, problemResponses, requestHeaders, SESSION_SECURITY } from '../../schemas/route-schemas';
import accountsRoutes from './accounts';
import currentSessionRoutes from './current-session';
import sessionDataRoutes from './session-data';
import sessionListRoutes from './session-list';

/**
 * The routes that need a session token, in one encapsulated context (as fastify/demo's autohooks
 * folder): the credential check is added here once as a hook, so a route in this folder cannot forget
 * it, and no route outside it gets it by accident. Each route's OpenAPI block gets the parts every
 * authenticated route shares (security schemes, the request-id header, the `sessions` tag, 401 and the
 * common failures), so the route itself declares only what is its own.
 */
const authenticatedRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.addHook('onRoute', withAuthenticatedSchema);
  fastify.addHook('preHandler', fastify.requireCredential);
  await fastify.register(sessionListRoutes);
  await fastify.register(currentSessionRoutes);
  await fastify.register(sessionDataRoutes);
  await fastify.register(accountsRoutes);
};

const SHARED_FAILURES = problemResponses(...COMMON_FAILURES, 401);

export function withAuthenticatedSchema(route: RouteOptions): void {
  const own: FastifySchema = { ...route.schema };
  // Every route in here declares its own responses; the shared failures go under them.
  route.schema = {
    tags: ['sessions'],
    headers: requestHeaders,
    ...own,
    security: SESSION_SECURITY,
    response: { ...SHARED_FAILURES, ...(own.response as object) },
  };
}

export default authenticatedRoutes;
