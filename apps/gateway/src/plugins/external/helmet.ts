import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers. The CSP fits a Vite-built React app served from this
 * origin (and the Swagger UI, which loads only its own files): scripts,
 * styles and API calls from 'self'; inline styles allowed because UI
 * libraries set them; nothing may frame the app.
 */
export default fp(
  async (fastify) => {
    const secure = fastify.config.cookieSecure;
    await fastify.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Over plain HTTP (development) an upgrade would break every asset load.
          ...(secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // HSTS only means something over HTTPS; on http://127.0.0.1 it would be ignored or harmful.
      strictTransportSecurity: secure,
    });
  },
  { name: 'helmet', dependencies: ['config'] },
);
