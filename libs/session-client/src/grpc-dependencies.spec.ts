import type { ValidateSessionRequest } from '@session/proto';
import { validateOverGrpc, type ValidatesSessions } from './grpc-dependencies';

describe('validateOverGrpc', () => {
  const requests: ValidateSessionRequest[] = [];
  const api: ValidatesSessions = {
    validateSession: async (request) => {
      requests.push(request);
      return { session: { session_id: 's1', user_id: '', version: '3' } } as Awaited<ReturnType<ValidatesSessions['validateSession']>>;
    },
  };
  beforeEach(() => (requests.length = 0));

  it('sends a miss as it always did (no extend field: the service extends)', async () => {
    expect((await validateOverGrpc(api)('s1.secret')).sessionId).toBe('s1');
    expect(requests).toEqual([{ token: 's1.secret' }]);
  });

  it('sends extend=false for the refresh-ahead function, so a background revalidation writes nothing', async () => {
    expect((await validateOverGrpc(api, { extend: false })('s1.secret')).version).toBe('3');
    expect(requests).toEqual([{ token: 's1.secret', extend: false }]);
  });
});
