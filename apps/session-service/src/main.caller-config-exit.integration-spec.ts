import { startProcess, sessionServiceBundle } from '@session/testing';

describe('the built session service refusing an open port without callers', () => {
  it('exits 1 with a clear message when it would listen beyond loopback with no callers configured', async () => {
    const proc = startProcess(process.execPath, [sessionServiceBundle()], {
      // No database is needed: the configuration is checked before anything else starts.
      env: { PATH: process.env.PATH, SESSION_SERVICE_URL: '0.0.0.0:0', METRICS_PORT: '0', MONGODB_URI: 'mongodb://127.0.0.1:1/' },
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain(
      'SESSION_SERVICE_URL: 0.0.0.0 is not a loopback address, so GRPC_CALLERS and GRPC_CALLER_KEY_HASHES must be set',
    );
    expect(proc.output()).not.toContain('session service listening');
  });

  it('warns at start that only loopback peers are served when no callers are configured', async () => {
    const proc = startProcess(process.execPath, [sessionServiceBundle()], {
      env: { PATH: process.env.PATH, SESSION_SERVICE_URL: '127.0.0.1:0', METRICS_PORT: '0', MONGODB_URI: 'mongodb://127.0.0.1:1/' },
    });
    try {
      await proc.waitForLine(/"level":40.*no gRPC callers configured \(GRPC_CALLERS\): serving loopback peers only/, 15_000);
    } finally {
      await proc.stop('SIGTERM');
    }
  });
});
