import * as grpc from '@grpc/grpc-js';
import { connect } from 'node:net';
import type { HttpResponse } from './http-client';

/**
 * Writes bytes to the gateway as they are, for requests node:http refuses
 * to send (control characters in header values), and parses the answer.
 */
export function sendRawHttp(url: string, request: string): Promise<HttpResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(request, 'latin1')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const varint = (n: number) => {
  const out: number[] = [];
  for (; n > 127; n = Math.floor(n / 128)) out.push((n & 127) | 128);
  out.push(n);
  return Buffer.from(out);
};
const field = (number: number, bytes: Buffer) => Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
const entry = (key: string, value: Buffer) => field(1, Buffer.concat([field(1, Buffer.from(key)), field(2, value)]));

/**
 * A CreateSessionRequest whose user_data nests `depth` Structs (or ListValues)
 * deep, encoded by hand: the generated client refuses to encode past
 * protobuf.js's recursion limit, a hostile caller is not so polite.
 */
export function deepCreateRequest(depth: number, viaLists: boolean): Buffer {
  const number = Buffer.alloc(9);
  number[0] = (2 << 3) | 1; // Value.number_value, 64-bit
  number.writeDoubleLE(1, 1);
  let value = number;
  for (let i = 0; i < depth; i++) value = viaLists ? field(6, field(1, value)) : field(5, entry('k', value));
  return field(1, entry('k', value));
}

/** Sends request bytes to a SessionService method without any client-side encoding. */
export function callWithBytes(address: string, method: string, bytes: Buffer): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const identity = (b: Buffer) => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/session.v1.SessionService/${method}`,
      identity,
      identity,
      bytes,
      new grpc.Metadata(),
      { deadline: Date.now() + 5_000 },
      (err) => {
        client.close();
        resolve(err);
      },
    );
  });
}
