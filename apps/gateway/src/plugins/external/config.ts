import type { GatewayConfig } from '@session/config';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Parsed once in main.ts (or by a test) and passed down; nothing reads process.env after that. */
    config: GatewayConfig;
  }
}

export default fp<{ config: GatewayConfig }>(
  async (fastify, { config }) => {
    fastify.decorate('config', config);
  },
  { name: 'config' },
);
