import { HealthImplementation } from 'grpc-health-check';
import { bindServer, createGrpcServer } from './grpc-server';

const options = { callers: [], reflection: false };

describe('bindServer', () => {
  it('binds port 0 to a free port and refuses an address it cannot use', async () => {
    const server = createGrpcServer({ session: {}, feed: {} } as never, new HealthImplementation(), options);
    const other = createGrpcServer({ session: {}, feed: {} } as never, new HealthImplementation(), options);
    try {
      const port = await bindServer(server, '127.0.0.1', 0);
      expect(port).toBeGreaterThan(0);
      await expect(bindServer(other, '203.0.113.1', 0)).rejects.toThrow();
    } finally {
      server.forceShutdown();
      other.forceShutdown();
    }
  });
});
