import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { REQUEST_ID_METADATA_KEY } from '@session/proto';

export interface CallOptions {
  /** Milliseconds from now; every call carries a deadline. */
  timeoutMs?: number;
  /** Propagated as `x-request-id` metadata so both services log the same id. */
  requestId?: string;
}

/** Told the RPC name (`ValidateSession`) and the final status of every call. */
export type CallObserver = (rpc: string, code: grpc.status) => void;

/**
 * The unary RPCs of a generated client: its methods named as in the .proto (`CreateSession`;
 * grpc.Client's own methods and the lower-case aliases start in lower case), less the streaming
 * ones, which return a stream (something to read or write) where a unary call returns neither.
 */
type UnaryRpcName<Client> = {
  [K in keyof Client & string]: K extends Capitalize<K>
    ? Client[K] extends (...args: never[]) => { read: unknown } | { write: unknown }
      ? never
      : K
    : never;
}[keyof Client & string];

/**
 * One promise-returning method per unary RPC of a generated service, named in camelCase
 * (`CreateSession` becomes `createSession`), with the request and response types the
 * generated definition gives that RPC. A new RPC in the .proto appears here by itself.
 */
export type UnaryRpcs<Definition, Client> = {
  [K in UnaryRpcName<Client> & keyof Definition as Uncapitalize<K>]: Definition[K] extends MethodDefinition<
    infer Request,
    never,
    unknown,
    infer ResponseOut
  >
    ? (request: Request, options?: CallOptions) => Promise<ResponseOut>
    : never;
};

/** `CreateSession` -> `createSession`, as proto-loader names the client's own lower-case aliases. */
export function rpcMethodKey(rpc: string): string {
  return rpc.charAt(0).toLowerCase() + rpc.slice(1);
}

/** The unary RPCs of a service definition; streaming ones stay raw client calls. */
export function unaryRpcNames(definition: grpc.ServiceDefinition): string[] {
  return Object.entries(definition)
    .filter(([, method]) => !method.requestStream && !method.responseStream)
    .map(([rpc]) => rpc);
}

/**
 * Promise wrapper over a generated client: one method per unary RPC of `definition`, made
 * here at construction from the definition itself, so no RPC is listed by hand. A subclass
 * declares an interface of the same name extending UnaryRpcs to give those methods their
 * types; the spec of each subclass checks that the methods made match that type's names.
 */
export class RpcApi<Client extends grpc.Client> {
  private readonly observers: CallObserver[] = [];

  constructor(
    readonly client: Client,
    definition: grpc.ServiceDefinition,
    private readonly defaultTimeoutMs: number,
  ) {
    for (const rpc of unaryRpcNames(definition)) {
      const method = definition[rpc];
      Object.defineProperty(this, rpcMethodKey(rpc), {
        value: (request: unknown, options?: CallOptions) => this.call(rpc, method, request, options),
        enumerable: true,
      });
    }
  }

  /** Adds an observer of every call's outcome (metrics); it must not throw. */
  observe(observer: CallObserver): this {
    this.observers.push(observer);
    return this;
  }

  close(): void {
    this.client.close();
  }

  private call<Request, Response>(
    rpc: string,
    method: grpc.MethodDefinition<Request, Response>,
    request: Request,
    options: CallOptions = {},
  ): Promise<Response> {
    const metadata = new grpc.Metadata();
    if (options.requestId) metadata.set(REQUEST_ID_METADATA_KEY, options.requestId);
    const deadline = Date.now() + (options.timeoutMs ?? this.defaultTimeoutMs);
    return new Promise<Response>((resolve, reject) => {
      this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline },
        (err, res) => {
          for (const observer of this.observers) observer(rpc, err ? err.code : grpc.status.OK);
          // grpc-js turns an OK status without a message into an error, so this reject is a guard only.
          if (!err && res !== undefined) resolve(res);
          else reject(err ?? new Error(`${rpc} answered without a message`));
        },
      );
    });
  }
}
