import { randomUUID } from 'node:crypto';
import type { Device, Session__Output } from '@session/proto';
import type { AccountStore } from './account';
import type { CallContext } from './call-context';
import { normalizeEmail } from './email';
import { AccountsError } from './errors';
import type { PasswordHasher } from './password-hasher';
import { acceptNewPassword, normalizePassword, PASSWORD_MAX_CODE_POINTS } from './password-policy';
import type { SessionPort } from './session-port';
import type { Reservation, SignInThrottle } from './sign-in-throttle';

export interface SignInInput {
  readonly sessionToken: string;
  readonly email: string;
  readonly password: string;
  readonly rememberMe: boolean;
  readonly device: Device | undefined;
}

export interface SignedIn {
  readonly token: string;
  readonly session: Session__Output;
  readonly accountId: string;
}

export type SignInOutcome = 'success' | 'invalid_credentials' | 'rate_limited';

/** Told of each sign-in, sign-up and password change outcome (metrics). */
export interface AccountsObserver {
  signIn(outcome: SignInOutcome): void;
  signUp(outcome: 'success' | 'account_exists'): void;
  passwordChanged(revokedCount: number): void;
}

export interface AccountsSettings {
  readonly reauthWindowMs: number;
}

/** A password given to be checked (sign-in, current password): only its size is refused up front. */
function passwordToCheck(password: string): string {
  const normalized = normalizePassword(password);
  if (normalized.length === 0 || [...normalized].length > PASSWORD_MAX_CODE_POINTS) throw new AccountsError('invalid_credentials');
  return normalized;
}

/**
 * Sign-up, sign-in and password change (docs/accounts.md). Sessions are the session service's:
 * this service proves who the user is and then binds, checks or revokes through it.
 */
export class AccountsService {
  constructor(
    private readonly store: AccountStore,
    private readonly sessions: SessionPort,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly settings: AccountsSettings,
    private readonly observer: AccountsObserver,
  ) {}

  async signUp(input: SignInInput, ctx: CallContext): Promise<SignedIn> {
    const email = normalizeEmail(input.email);
    const password = acceptNewPassword(input.password);
    const accountId = randomUUID();
    const passwordHash = await this.hasher.hash(password, ctx.deadline);
    try {
      await this.store.insert({ accountId, email, passwordHash }, ctx);
    } catch (err) {
      if (err instanceof AccountsError && err.code === 'account_exists') this.observer.signUp('account_exists');
      throw err;
    }
    let bound;
    try {
      bound = await this.sessions.bindUser(
        { token: input.sessionToken, accountId, rememberMe: input.rememberMe, device: input.device },
        ctx,
      );
    } catch (err) {
      // A refused token leaves no account behind: the caller can sign up again with a live session.
      await this.store.remove(accountId, ctx).catch(() => undefined);
      throw err;
    }
    this.observer.signUp('success');
    return { ...bound, accountId };
  }

  async signIn(input: SignInInput, ctx: CallContext): Promise<SignedIn> {
    const email = normalizeEmail(input.email);
    const password = passwordToCheck(input.password);
    const account = await this.checkPassword(email, password, input.device, ctx);
    if (this.hasher.needsRehash(account.passwordHash)) {
      // Parameters were raised since this hash was made; the password is at hand only now.
      await this.store.setPasswordHash(account.accountId, await this.hasher.hash(password, ctx.deadline), ctx);
    }
    const bound = await this.sessions.bindUser(
      { token: input.sessionToken, accountId: account.accountId, rememberMe: input.rememberMe, device: input.device },
      ctx,
    );
    this.observer.signIn('success');
    return { ...bound, accountId: account.accountId };
  }

  async changePassword(
    input: { sessionToken: string; currentPassword: string; newPassword: string; device: Device | undefined },
    ctx: CallContext,
  ): Promise<number> {
    const newPassword = acceptNewPassword(input.newPassword);
    const current = passwordToCheck(input.currentPassword);
    const session = await this.sessions.validateRecentSignIn(input.sessionToken, this.settings.reauthWindowMs, ctx);
    const signedInAs = await this.store.findById(session.user_id, ctx);
    // A session bound to a user this service does not know was not signed in with a password here.
    if (!signedInAs) throw new AccountsError('reauthentication_required');
    const account = await this.checkPassword(signedInAs.email, current, input.device, ctx);
    await this.store.setPasswordHash(account.accountId, await this.hasher.hash(newPassword, ctx.deadline), ctx);
    const revoked = await this.sessions.revokeOtherSessions(account.accountId, session.session_id, ctx);
    this.observer.passwordChanged(revoked);
    return revoked;
  }

  /**
   * The one password check: a throttle slot is reserved before anything else, then exactly one
   * hash is computed whether or not the account exists, and both failures answer alike.
   */
  private async checkPassword(email: string, password: string, device: Device | undefined, ctx: CallContext) {
    const admission = this.throttle.admit(email, device?.client_address ?? '');
    if (!admission.ok) {
      this.observer.signIn('rate_limited');
      throw new AccountsError('rate_limited', { retryAfterSeconds: admission.retryAfterSeconds });
    }
    const reservation: Reservation = admission.reservation;
    let outcome: 'success' | 'failure' | 'released' = 'released';
    try {
      const account = await this.store.findByEmail(email, ctx);
      const ok = account
        ? await this.hasher.verify(password, account.passwordHash, ctx.deadline)
        : await this.hasher.verifyAgainstNothing(password, ctx.deadline);
      outcome = ok ? 'success' : 'failure';
      if (!account || !ok) {
        this.observer.signIn('invalid_credentials');
        throw new AccountsError('invalid_credentials');
      }
      return account;
    } finally {
      reservation.settle(outcome);
    }
  }
}
