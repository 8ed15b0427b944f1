import { status } from '@grpc/grpc-js';
import { jsonToStruct, structToJson } from '@session/proto';
import { failureOf, startTestService, type TestService } from '../testing/test-service';

/** Anonymous sessions cost one request each, so they hold less than signed-in ones (docs/anonymous-sessions.md). */
describe('user_data caps over gRPC: anonymous sessions hold less', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ env: { USER_DATA_MAX_BYTES: '4096', ANONYMOUS_USER_DATA_MAX_BYTES: '512' } });
  });
  afterAll(async () => t?.close());

  // {"s":"..."} is 8 bytes around the string.
  const data = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) });

  it('creates an anonymous session with data up to the anonymous cap and refuses one byte more, storing nothing', async () => {
    expect(structToJson((await t.api.createSession({ user_data: jsonToStruct(data(512)) })).session!.user_data)).toEqual(data(512));
    const before = await t.collection.countDocuments();
    const f = await failureOf(t.api.createSession({ user_data: jsonToStruct(data(513)) }));
    expect(f).toEqual({ code: status.INVALID_ARGUMENT, errorCode: 'payload_too_large', details: 'user_data is larger than 512 bytes' });
    expect(await t.collection.countDocuments()).toBe(before);
  });

  it('keeps an anonymous session under the anonymous cap through merges and replaces, and changes nothing when refused', async () => {
    const { token, session } = await t.api.createSession({ user_data: jsonToStruct({ a: 1 }) });
    const before = await t.collection.findOne({ _id: session!.session_id });
    for (const mode of ['UPDATE_MODE_MERGE', 'UPDATE_MODE_REPLACE'] as const) {
      const f = await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct(data(600)), mode }));
      expect(f).toMatchObject({ code: status.INVALID_ARGUMENT, errorCode: 'payload_too_large' });
    }
    expect(await t.collection.findOne({ _id: session!.session_id })).toEqual(before);
  });

  it('lets a session bound to a user hold up to USER_DATA_MAX_BYTES', async () => {
    const { token } = await t.api.bindUser({ token: (await t.api.createSession({})).token, user_id: 'cap-user' });
    const replaced = await t.api.updateSessionData({ token, user_data: jsonToStruct(data(4096)), mode: 'UPDATE_MODE_REPLACE' });
    expect(structToJson(replaced.session!.user_data)).toEqual(data(4096));
    const f = await failureOf(t.api.updateSessionData({ token, user_data: jsonToStruct(data(4097)), mode: 'UPDATE_MODE_REPLACE' }));
    expect(f).toMatchObject({ errorCode: 'payload_too_large', details: 'user_data is larger than 4096 bytes' });
  });
});
