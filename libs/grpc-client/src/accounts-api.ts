/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging -- as in session-api.ts: the interface
   types the methods RpcApi makes from the service definition at run time (one per unary RPC). */
import { loadAccountsPackage, type AccountsPackageGrpcType, type AccountsServiceClient } from '@session/proto';
import { createGrpcClient, type SessionClientOptions } from './create-session-client';
import { RpcApi, type UnaryRpcs } from './rpc-api';

type AccountsV1 = AccountsPackageGrpcType['accounts']['v1'];

/** signUp, signIn, changePassword: every unary RPC of accounts.v1.AccountsService. */
export type AccountsServiceRpcs = UnaryRpcs<AccountsV1['AccountsService']['service'], AccountsServiceClient>;

export interface AccountsApi extends AccountsServiceRpcs {
  readonly client: AccountsServiceClient;
}

/** Promise wrapper over the generated AccountsService client; every call carries a deadline. */
export class AccountsApi extends RpcApi<AccountsServiceClient> {
  constructor(client: AccountsServiceClient, defaultTimeoutMs = 2_000) {
    super(client, loadAccountsPackage().proto.accounts.v1.AccountsService.service, defaultTimeoutMs);
  }
}

/** An AccountsService client with the session client's channel settings (keepalive, reconnect, API key). */
export function createAccountsClient(options: SessionClientOptions): AccountsServiceClient {
  return createGrpcClient(loadAccountsPackage().proto.accounts.v1.AccountsService, options);
}
