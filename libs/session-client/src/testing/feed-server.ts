import { EventEmitter, once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { loadSessionPackage, type WatchSessionChangesResponse } from '@session/proto';

type Stream = grpc.ServerWritableStream<unknown, WatchSessionChangesResponse>;

/**
 * A real grpc-js server implementing SessionFeedService on 127.0.0.1, driven
 * by the test: it records each subscriber's stream and sends what it is told.
 * `autoReset` answers each new stream with RESET #1 as the service does.
 */
export class FeedServer {
  private server: grpc.Server | undefined;
  readonly streams: Stream[] = [];
  readonly touched: string[][] = [];
  private readonly opened = new EventEmitter();
  autoReset = true;
  streamId = 'stream-1';

  constructor(public port = 0) {}

  async start(): Promise<number> {
    const server = new grpc.Server();
    server.addService(loadSessionPackage().proto.session.v1.SessionFeedService.service, {
      WatchSessionChanges: (call: Stream) => {
        this.streams.push(call);
        if (this.autoReset) call.write({ stream_id: this.streamId, sequence: 1, kind: 'SESSION_CHANGE_KIND_RESET' });
        this.opened.emit('stream', call);
      },
      TouchSessions: (call: grpc.ServerUnaryCall<{ session_ids: string[] }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        this.touched.push(call.request.session_ids);
        callback(null, { touched_count: call.request.session_ids.length });
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.server = server;
    return this.port;
  }

  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  get latest(): Stream {
    return this.streams[this.streams.length - 1]!;
  }

  /** Resolves with the next stream a subscriber opens. */
  nextStream(): Promise<Stream> {
    return once(this.opened, 'stream').then(([s]) => s as Stream);
  }

  send(message: WatchSessionChangesResponse, stream = this.latest): void {
    stream.write({ stream_id: this.streamId, ...message });
  }

  /** Sends `count` heartbeats `intervalMs` apart on the latest stream, as an idle service does; resolves after the last. */
  heartbeats(firstSequence: number, count: number, intervalMs: number): Promise<void> {
    const stream = this.latest;
    let sent = 0;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        this.send({ sequence: firstSequence + sent, kind: 'SESSION_CHANGE_KIND_HEARTBEAT' }, stream);
        sent += 1;
        if (sent === count) {
          clearInterval(timer);
          resolve();
        }
      }, intervalMs);
    });
  }

  /** Like a crashed replica: every connection closed at once. */
  kill(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }
}
