import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { Account, AccountStore } from '../domain/account';
import { remainingMs, type CallContext } from '../domain/call-context';
import { AccountsError } from '../domain/errors';
import { DUPLICATE_KEY, toAccountsError } from './driver-errors';

export const ACCOUNTS_COLLECTION = 'accounts';
export const EMAIL_INDEX = 'email_unique';

/** The stored shape: the password itself is never stored, only its scrypt string. */
export interface AccountDocument {
  _id: string;
  email: string;
  password_hash: string;
  created_at: Date;
  updated_at: Date;
}

/** No database call waits longer than this, whatever the caller's deadline. */
const MAX_OPERATION_MS = 5_000;

const toAccount = (doc: AccountDocument): Account => ({ accountId: doc._id, email: doc.email, passwordHash: doc.password_hash });

/**
 * Accounts in MongoDB (or the embedded FerretDB): one document per account, the normalized email
 * unique by index. Every call is bounded by the call's remaining time (maxTimeMS on the server, and
 * the driver's own timeoutMS for server selection and the socket), and driver errors become
 * AccountsError here.
 */
export class AccountRepository implements AccountStore {
  private readonly collection: Collection<AccountDocument>;

  constructor(db: Db) {
    this.collection = db.collection<AccountDocument>(ACCOUNTS_COLLECTION);
  }

  /**
   * The unique index is what makes "one account per email" true across replicas and concurrent
   * sign-ups; both MongoDB 7 and FerretDB build it. A server that refuses it fails the start: there
   * is no safe way to run without it.
   */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ email: 1 }, { name: EMAIL_INDEX, unique: true });
  }

  async insert(account: Account, ctx: CallContext): Promise<void> {
    const now = new Date();
    await this.bounded(ctx, async (timeoutMS) => {
      try {
        await this.collection.insertOne(
          { _id: account.accountId, email: account.email, password_hash: account.passwordHash, created_at: now, updated_at: now },
          { timeoutMS },
        );
      } catch (err) {
        if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) throw new AccountsError('account_exists');
        throw err;
      }
    });
  }

  async findByEmail(email: string, ctx: CallContext): Promise<Account | undefined> {
    const doc = await this.bounded(ctx, (timeoutMS) => this.collection.findOne({ email }, { timeoutMS }));
    return doc ? toAccount(doc) : undefined;
  }

  async findById(accountId: string, ctx: CallContext): Promise<Account | undefined> {
    const doc = await this.bounded(ctx, (timeoutMS) => this.collection.findOne({ _id: accountId }, { timeoutMS }));
    return doc ? toAccount(doc) : undefined;
  }

  async setPasswordHash(accountId: string, passwordHash: string, ctx: CallContext): Promise<void> {
    await this.bounded(ctx, (timeoutMS) =>
      this.collection.updateOne({ _id: accountId }, { $set: { password_hash: passwordHash, updated_at: new Date() } }, { timeoutMS }),
    );
  }

  async remove(accountId: string, ctx: CallContext): Promise<void> {
    await this.bounded(ctx, (timeoutMS) => this.collection.deleteOne({ _id: accountId }, { timeoutMS }));
  }

  private async bounded<T>(ctx: CallContext, work: (timeoutMS: number) => Promise<T>): Promise<T> {
    if (Date.now() >= ctx.deadline) throw new AccountsError('timeout');
    try {
      return await work(remainingMs(ctx, MAX_OPERATION_MS));
    } catch (err) {
      throw toAccountsError(err);
    }
  }
}
