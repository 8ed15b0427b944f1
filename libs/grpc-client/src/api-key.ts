import * as grpc from '@grpc/grpc-js';

/** Call metadata carrying a caller's API key to the session service (docs/grpc-callers.md). */
export const API_KEY_METADATA = 'x-api-key';

/**
 * Adds the key to every call's metadata. An interceptor rather than call
 * credentials: grpc-js refuses to combine call credentials with an insecure
 * channel, and inside the private network the channel is plaintext.
 */
export function apiKeyInterceptor(apiKey: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(API_KEY_METADATA, apiKey);
        next(metadata, listener);
      },
    });
}
