import { grpcListenSettings } from './grpc-listen-settings';

const noCallers = { GRPC_CALLERS: '', GRPC_CALLER_KEY_HASHES: '' };
const oneCaller = { GRPC_CALLERS: 'gateway=ValidateSession', GRPC_CALLER_KEY_HASHES: `gateway=${'a'.repeat(64)}` };

describe('grpcListenSettings', () => {
  it('splits host and port at the last colon (an IPv6 host keeps its own colons)', () => {
    const { settings, problems } = grpcListenSettings({ urlVariable: 'X_URL', url: '[::1]:50051', ...noCallers });
    expect(settings).toEqual({ host: '[::1]', port: 50051, callers: [] });
    expect(problems).toEqual([]);
  });

  it('refuses a non-loopback address without callers, naming the variable', () => {
    const { problems } = grpcListenSettings({ urlVariable: 'X_URL', url: '0.0.0.0:50051', ...noCallers });
    expect(problems).toEqual([expect.stringMatching(/^X_URL: 0\.0\.0\.0 is not a loopback address, so GRPC_CALLERS/)]);
  });

  it('accepts any address once callers are set, and returns them', () => {
    const { settings, problems } = grpcListenSettings({ urlVariable: 'X_URL', url: '0.0.0.0:1', ...oneCaller });
    expect(problems).toEqual([]);
    expect(settings.callers.map((c) => c.name)).toEqual(['gateway']);
  });

  it("returns the callers' own problems with the address rule's", () => {
    const orphanHash = { GRPC_CALLERS: '', GRPC_CALLER_KEY_HASHES: `ghost=${'a'.repeat(64)}` };
    const { problems } = grpcListenSettings({ urlVariable: 'X_URL', url: '0.0.0.0:1', ...orphanHash });
    expect(problems).toEqual([expect.stringContaining('ghost'), expect.stringMatching(/^X_URL: 0\.0\.0\.0 is not a loopback/)]);
  });

  it('refuses an RPC outside the allowed list', () => {
    const { problems } = grpcListenSettings({ urlVariable: 'X_URL', url: '127.0.0.1:1', ...oneCaller, allowedRpcs: ['SignIn'] });
    expect(problems).toEqual([expect.stringContaining('unknown RPCs ValidateSession')]);
  });
});
