import * as grpc from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/accounts';
import { findProtoRoot } from './load-session-package';
import { ACCOUNTS_PROTO_FILE, PROTO_LOADER_OPTIONS } from './loader-options';

/** Fully qualified name of the accounts service: its health check entry uses it. */
export const ACCOUNTS_SERVICE_NAME = 'accounts.v1.AccountsService';

/** accounts.v1 with the session.v1 messages it imports (Device, Session). */
export type AccountsPackageGrpcType = ProtoGrpcType;

export interface AccountsPackage {
  packageDefinition: PackageDefinition;
  proto: AccountsPackageGrpcType;
}

let cached: AccountsPackage | undefined;

/**
 * Loads accounts.v1 once per process. A definition of its own, apart from session.v1's: the
 * accounts service serves it, the gateway calls it, and neither needs the other's services.
 */
export function loadAccountsPackage(): AccountsPackage {
  if (!cached) {
    const packageDefinition = loadSync([ACCOUNTS_PROTO_FILE], { ...PROTO_LOADER_OPTIONS, includeDirs: [findProtoRoot()] });
    const proto = grpc.loadPackageDefinition(packageDefinition) as unknown as AccountsPackageGrpcType;
    cached = { packageDefinition, proto };
  }
  return cached;
}
