import { createHash, randomBytes } from 'node:crypto';
import { send } from './support/rest-client';
import { startDb, startGatewayFor, startService } from './support/stack';
import { Teardown } from './support/teardown';

const newKey = () => randomBytes(32).toString('base64');
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * The production arrangement: the session service knows the gateway only by
 * its key's hash and lets it call what its routes need (not BindUser). A
 * gateway with the right key works end to end; one with a wrong key is a
 * deployment fault that users must not see as "your session is invalid".
 */
describe('the gateway authenticating to a session service with callers configured', () => {
  const teardown = new Teardown();
  const key = newKey();
  const urls = {} as { good: string; wrongKey: string; serviceLogs: () => string; gatewayLogs: () => string };

  beforeAll(async () => {
    const { db, dbName } = await startDb(teardown);
    const service = await startService(teardown, db, dbName, {
      GRPC_CALLERS: 'gateway=CreateSession,ValidateSession,UpdateSessionData,TouchSession,RevokeSession,ListUserSessions',
      GRPC_CALLER_KEY_HASHES: `gateway=${sha256(key)}`,
    });
    const good = await startGatewayFor(teardown, service.address, { GRPC_API_KEY: key, API_DOCS: 'false' });
    const wrongKey = await startGatewayFor(teardown, service.address, { GRPC_API_KEY: newKey(), API_DOCS: 'false' });
    Object.assign(urls, {
      good: good.url,
      wrongKey: wrongKey.url,
      serviceLogs: () => service.process.output(),
      gatewayLogs: () => good.process.output(),
    });
  });
  afterAll(() => teardown.run());

  it('creates, reads, updates and revokes a session through the gateway with its key', async () => {
    const created = await send(urls.good, {
      op: 'create',
      method: 'POST',
      path: '/api/sessions',
      body: { user_data: { theme: 'dark' } },
      requestId: 'key-create',
    });
    expect(created.status).toBe(201);
    const token = (created.body as { token: string }).token;
    const read = await send(urls.good, { op: 'get', path: '/api/sessions/current', token, requestId: 'key-get' });
    expect(read).toMatchObject({ status: 200, body: { session: { user_data: { theme: 'dark' } } } });
    const patched = await send(urls.good, {
      op: 'patch',
      method: 'PATCH',
      path: '/api/sessions/current/data',
      token,
      body: { n: 1 },
      contentType: 'application/merge-patch+json',
      requestId: 'key-patch',
    });
    expect(patched.status).toBe(200);
    expect(
      (await send(urls.good, { op: 'delete', method: 'DELETE', path: '/api/sessions/current', token, requestId: 'key-delete' })).status,
    ).toBe(204);
    expect((await send(urls.good, { op: 'get', path: '/api/sessions/current', token, requestId: 'key-gone' })).status).toBe(401);
    expect(urls.serviceLogs()).toContain('"callers":{"gateway":["CreateSession"');
    expect(urls.serviceLogs()).not.toContain(key);
    expect(urls.gatewayLogs()).not.toContain(key);
  });

  it('answers 500 internal, never 401, when the gateway’s own key is refused', async () => {
    const created = await send(urls.wrongKey, {
      op: 'create',
      method: 'POST',
      path: '/api/sessions',
      body: {},
      requestId: 'wrong-key-create',
    });
    expect(created).toMatchObject({ status: 500, code: 'internal' });
    expect(urls.serviceLogs()).toMatch(/"caller":"unknown","method":"CreateSession".*"code":"UNAUTHENTICATED"/);
  });
});
