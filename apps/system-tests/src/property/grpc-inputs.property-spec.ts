import { status, type ServiceError } from '@grpc/grpc-js';
import { structToJson } from '@session/proto';
import fc from 'fast-check';
import { anyStruct, expectedVersion, idSpec, tokenSpec, updateMode, userId, type IdSpec, type TokenSpec } from './support/grpc-arbitraries';
import { forbiddenKeyPaths } from './support/json-rules';
import { startPropertyStack, type PropertyStack } from './support/property-stack';
import { nearToken } from './support/token-arbitraries';

/** The statuses docs/contracts.md#grpc-errors documents for the session API, each with the `x-error-code` values it may carry. */
const DOCUMENTED: Readonly<Partial<Record<status, readonly string[]>>> = {
  [status.INVALID_ARGUMENT]: ['invalid_user_data', 'payload_too_large', 'bad_request'],
  [status.UNAUTHENTICATED]: ['invalid_token', 'session_not_found', 'session_expired', 'session_revoked'],
  [status.NOT_FOUND]: ['session_not_found'],
  [status.ABORTED]: ['version_conflict'],
  [status.PERMISSION_DENIED]: ['forbidden'],
};

const call = fc.oneof(
  fc.record({ rpc: fc.constant('CreateSession' as const), userData: fc.option(anyStruct, { nil: undefined }) }),
  fc.record({ rpc: fc.constant('ValidateSession' as const), token: tokenSpec, extend: fc.option(fc.boolean(), { nil: undefined }) }),
  fc.record({ rpc: fc.constant('GetSession' as const), id: idSpec }),
  fc.record({ rpc: fc.constant('UpdateSessionData' as const), token: tokenSpec, userData: anyStruct, mode: updateMode, expectedVersion }),
  fc.record({ rpc: fc.constant('TouchSession' as const), token: tokenSpec }),
  fc.record({
    rpc: fc.constant('RevokeSession' as const),
    token: fc.option(tokenSpec, { nil: undefined }),
    id: fc.option(idSpec, { nil: undefined }),
    userId: fc.option(userId, { nil: undefined }),
  }),
  fc.record({ rpc: fc.constant('BindUser' as const), token: tokenSpec, userId }),
  fc.record({ rpc: fc.constant('ListUserSessions' as const), userId }),
  fc.record({ rpc: fc.constant('RevokeUserSessions' as const), userId, except: fc.option(idSpec, { nil: undefined }) }),
);
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

describe('gRPC: arbitrary requests get only documented statuses', () => {
  let stack: PropertyStack;
  beforeAll(async () => {
    stack = await startPropertyStack();
  });
  afterAll(async () => stack?.close());

  const live = async (bound: boolean) => {
    const created = await stack.grpc.createSession({});
    if (!bound) return created;
    return stack.grpc.bindUser({ token: created.token, user_id: 'user-1' });
  };

  async function tokenOf(spec: TokenSpec): Promise<string> {
    if (spec.kind === 'given') return spec.token;
    if (spec.kind === 'near') return fc.sample(nearToken((await live(false)).token), { numRuns: 1, seed: spec.seed })[0];
    const { token } = await live(spec.kind === 'bound');
    if (spec.kind === 'revoked') await stack.grpc.revokeSession({ token });
    return token;
  }

  async function idOf(spec: IdSpec): Promise<string> {
    if (spec.kind === 'given') return spec.id;
    if (spec.kind === 'unknown') return fc.sample(fc.uuid({ version: 4 }), 1)[0];
    return (await live(spec.kind === 'own')).session?.session_id as string;
  }

  async function perform(c: Call): Promise<unknown> {
    const api = stack.grpc;
    switch (c.rpc) {
      case 'CreateSession':
        return api.createSession(c.userData === undefined ? {} : { user_data: c.userData });
      case 'ValidateSession':
        return api.validateSession({ token: await tokenOf(c.token), ...(c.extend === undefined ? {} : { extend: c.extend }) });
      case 'GetSession':
        return api.getSession({ session_id: await idOf(c.id) });
      case 'UpdateSessionData':
        return api.updateSessionData({
          token: await tokenOf(c.token),
          user_data: c.userData,
          mode: c.mode as never,
          ...(c.expectedVersion === undefined ? {} : { expected_version: c.expectedVersion }),
        });
      case 'TouchSession':
        return api.touchSession({ token: await tokenOf(c.token) });
      case 'RevokeSession':
        return api.revokeSession({
          ...(c.token ? { token: await tokenOf(c.token) } : {}),
          ...(c.id ? { session_id: await idOf(c.id) } : {}),
          ...(c.userId === undefined ? {} : { user_id: c.userId }),
        });
      case 'BindUser':
        return api.bindUser({ token: await tokenOf(c.token), user_id: c.userId });
      case 'ListUserSessions':
        return api.listUserSessions({ user_id: c.userId });
      case 'RevokeUserSessions':
        return api.revokeUserSessions({ user_id: c.userId, ...(c.except ? { except_session_id: await idOf(c.except) } : {}) });
    }
  }

  it('answers OK or a documented status with a matching x-error-code, never INTERNAL or UNKNOWN', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        try {
          const res = await perform(c);
          seen.add(`${c.rpc} OK`);
          if (c.rpc === 'CreateSession' && c.userData) {
            const stored = structToJson((res as { session: { user_data: never } }).session.user_data);
            expect(forbiddenKeyPaths(stored)).toEqual([]);
          }
        } catch (err) {
          const e = err as ServiceError;
          const code = String(e.metadata?.get('x-error-code')[0]);
          seen.add(`${c.rpc} ${status[e.code]}`);
          expect({ status: status[e.code], code, documented: DOCUMENTED[e.code]?.includes(code) ?? false }).toEqual({
            status: status[e.code],
            code,
            documented: true,
          });
          // Messages are short sentences for people: no token, no driver text.
          expect(e.details.length).toBeLessThan(120);
          expect(e.details).not.toMatch(/Mongo|Ferret|stack|\bat \w+ \(/);
        }
      }),
      { numRuns: 300 },
    );
    // Every RPC was exercised, and both successes and refusals occurred.
    expect(new Set([...seen].map((s) => s.split(' ')[0])).size).toBe(9);
    expect([...seen].some((s) => s.endsWith(' OK'))).toBe(true);
    expect([...seen].some((s) => s.endsWith(' INVALID_ARGUMENT'))).toBe(true);
    await stack.assertAlive();
  });

  it('never stored a key that starts with $ or holds "." or NUL', async () => {
    const docs = await stack.sessions.find({}, { projection: { user_data: 1 } }).toArray();
    expect(docs.length).toBeGreaterThan(100);
    expect(docs.flatMap((d) => forbiddenKeyPaths(d['user_data']))).toEqual([]);
  });
});
