import type { Options } from '@grpc/proto-loader';

/**
 * The one set of proto-loader options. The codegen target in project.json
 * passes the same flags to proto-loader-gen-types, so the generated types
 * describe exactly the objects grpc-js hands us (a spec keeps them in step).
 */
export const PROTO_LOADER_OPTIONS = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
}) satisfies Options;

export const SESSION_PROTO_FILE = 'session/v1/session.proto';
export const SESSION_FEED_PROTO_FILE = 'session/v1/session_feed.proto';

/** Every file of package session.v1, loaded together so one definition serves both services (and reflection). */
export const SESSION_PROTO_FILES: readonly string[] = [SESSION_PROTO_FILE, SESSION_FEED_PROTO_FILE];

/** accounts.v1 (sign-up, sign-in, password change); it imports session.v1's messages. */
export const ACCOUNTS_PROTO_FILE = 'accounts/v1/accounts.proto';
