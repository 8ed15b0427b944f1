import * as grpc from '@grpc/grpc-js';
import { startTestService, type TestService } from '../testing/test-service';

/** A protobuf length-delimited field: tag, varint length, bytes. */
function field(number: number, bytes: Buffer): Buffer {
  const length: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    length.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  length.push(n);
  return Buffer.concat([Buffer.from([(number << 3) | 2, ...length]), bytes]);
}

/**
 * CreateSessionRequest bytes whose user_data Struct nests `depth` levels ({"a":{"a":...}}), built
 * by hand from the inside out: a client's own encoder recurses and could not send such a value.
 * Struct.fields (1) holds map entries {key (1), value (2)}; Value.struct_value is field 5.
 */
function deepCreateRequest(depth: number): Buffer {
  let struct: Buffer = Buffer.alloc(0);
  for (let level = 1; level < depth; level++) {
    const entry = Buffer.concat([field(1, Buffer.from('a')), field(2, field(5, struct))]);
    struct = field(1, entry);
  }
  return field(1, struct);
}

describe('a deeply nested Struct sent straight over gRPC', () => {
  let t: TestService;
  let client: grpc.Client;
  beforeAll(async () => {
    t = await startTestService();
    client = new grpc.Client(t.address, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  const createRaw = (bytes: Buffer) =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest(
        '/session.v1.SessionService/CreateSession',
        (b: Buffer) => b,
        (b: Buffer) => b,
        bytes,
        new grpc.Metadata(),
        { deadline: Date.now() + 10_000 },
        (err) => resolve(err),
      );
    });

  it.each([17, 10_000])('refuses %i levels with INVALID_ARGUMENT (not INTERNAL), stores nothing and keeps serving', async (depth) => {
    const before = await t.collection.countDocuments();
    const err = await createRaw(deepCreateRequest(depth));
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await t.collection.countDocuments()).toBe(before);
    expect(t.logs()).not.toMatch(/"level":(50|60)/);
    // Still serving: an ordinary call succeeds afterwards.
    expect((await t.api.createSession({})).token).toMatch(/\./);
  });
});
