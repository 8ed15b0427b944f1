import * as grpc from '@grpc/grpc-js';

/**
 * Stands in for a request protobufjs could not decode (a Struct nested
 * thousands deep overflows its recursive decoder, a truncated field, ...).
 * grpc-js answers a throwing deserializer with INTERNAL, which tells the
 * caller "our fault"; the request is the caller's fault, so the decoder
 * hands this marker on and the interceptor answers INVALID_ARGUMENT.
 */
const UNDECODABLE: unique symbol = Symbol('undecodable request');

/** A copy of a service definition whose request decoders hand on the marker instead of throwing. */
export function withGuardedDecoders<T extends grpc.ServiceDefinition>(definition: T): T {
  const guarded: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition)) {
    guarded[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch {
          return UNDECODABLE;
        }
      },
    };
  }
  return guarded as T;
}

/**
 * Answers a request marked undecodable with INVALID_ARGUMENT (`x-error-code:
 * bad_request`) before any handler sees it; every other message passes.
 */
export function undecodableRequestInterceptor(): grpc.ServerInterceptor {
  return (_method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMessage(message, passOn) {
            if (message !== UNDECODABLE) return passOn(message);
            const trailer = new grpc.Metadata();
            trailer.set('x-error-code', 'bad_request');
            call.sendStatus({
              code: grpc.status.INVALID_ARGUMENT,
              details: 'the request could not be decoded (malformed or nested too deeply)',
              metadata: trailer,
            });
          },
        });
      },
    });
}
