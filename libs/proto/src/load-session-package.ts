import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/session';
import type { ProtoGrpcType as FeedProtoGrpcType } from './generated/session_feed';
import { PROTO_LOADER_OPTIONS, SESSION_PROTO_FILE, SESSION_PROTO_FILES } from './loader-options';

/**
 * Finds the `protos` folder by walking up from this module: in the workspace
 * it is at the root, in a bundled app it is copied next to main.js.
 */
export function findProtoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'protos');
    if (existsSync(join(candidate, SESSION_PROTO_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find protos/${SESSION_PROTO_FILE} above ${start}`);
    dir = parent;
  }
}

/** session.v1 from both files: SessionService and SessionFeedService side by side. */
export type SessionPackageGrpcType = ProtoGrpcType & FeedProtoGrpcType;

export interface SessionPackage {
  packageDefinition: PackageDefinition;
  proto: SessionPackageGrpcType;
}

let cached: SessionPackage | undefined;

/** Loads session.v1 (both files) once per process; parsing the protos is not free. */
export function loadSessionPackage(): SessionPackage {
  if (!cached) {
    const packageDefinition = loadSync([...SESSION_PROTO_FILES], {
      ...PROTO_LOADER_OPTIONS,
      includeDirs: [findProtoRoot()],
    });
    const proto = grpc.loadPackageDefinition(packageDefinition) as unknown as SessionPackageGrpcType;
    cached = { packageDefinition, proto };
  }
  return cached;
}
