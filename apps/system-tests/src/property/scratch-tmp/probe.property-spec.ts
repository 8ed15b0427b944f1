import * as grpc from '@grpc/grpc-js';
const varint = (n: number) => { const out: number[] = []; while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128); } out.push(n); return Buffer.from(out); };
const ld = (field: number, bytes: Buffer) => Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
function deep(depth: number, list = false): Buffer {
  const num = Buffer.alloc(9); num[0] = (2 << 3) | 1; num.writeDoubleLE(1, 1);
  let value = num;
  for (let i = 0; i < depth; i++) {
    value = list ? ld(6, ld(1, value)) : ld(5, ld(1, Buffer.concat([ld(1, Buffer.from('k')), ld(2, value)])));
  }
  return ld(1, ld(1, Buffer.concat([ld(1, Buffer.from('k')), ld(2, value)])));
}
it('probes', async () => {
  const client = new grpc.Client('127.0.0.1:37219', grpc.credentials.createInsecure());
  const call = (bytes: Buffer) => new Promise<string>((resolve) => client.makeUnaryRequest('/session.v1.SessionService/CreateSession', (x: Buffer) => x, (x: Buffer) => x, bytes, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err, res) => resolve(err ? `ERR ${err.code} ${err.details} ${err.metadata.get('x-error-code')}` : `OK ${res?.length}`)));
  for (const d of [10, 17, 90, 101, 1000, 10000, 100000]) console.log('struct', d, await call(deep(d)));
  for (const d of [10, 17, 101, 10000]) console.log('list', d, await call(deep(d, true)));
  console.log('garbage', await call(Buffer.from([0xff, 0xff, 0xff, 0x0f, 1, 2, 3])));
  console.log('truncated', await call(deep(10).subarray(0, 20)));
  client.close();
}, 60_000);
