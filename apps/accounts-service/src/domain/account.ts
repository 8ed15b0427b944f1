import type { CallContext } from './call-context';

export interface Account {
  /** Stable id, the user_id sessions are bound to; never the email, which may change one day. */
  readonly accountId: string;
  /** Normalized (email.ts). */
  readonly email: string;
  /** `scrypt$N$r$p$salt$key`: never the password. */
  readonly passwordHash: string;
}

/** Where accounts live (db/account-repository.ts). Every call is bounded by the call's deadline. */
export interface AccountStore {
  /** Throws AccountsError account_exists when the normalized email is taken. */
  insert(account: Account, ctx: CallContext): Promise<void>;
  findByEmail(email: string, ctx: CallContext): Promise<Account | undefined>;
  findById(accountId: string, ctx: CallContext): Promise<Account | undefined>;
  setPasswordHash(accountId: string, passwordHash: string, ctx: CallContext): Promise<void>;
  /** Undoes an insert whose session binding failed. */
  remove(accountId: string, ctx: CallContext): Promise<void>;
}
