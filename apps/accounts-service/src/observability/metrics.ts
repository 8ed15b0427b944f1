import { RpcMetrics } from '@session/grpc-server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AccountsObserver, SignInOutcome } from '../domain/accounts-service';

/** Every metric of the accounts service on its own registry (tests build several). */
export class AccountsMetrics implements AccountsObserver {
  readonly registry = new Registry();
  private readonly rpcs = new RpcMetrics(this.registry, [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5]);
  private readonly signIns = new Counter({
    name: 'accounts_sign_ins_total',
    help: 'Password checks (sign-in and password change), by outcome: success, invalid_credentials, rate_limited',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly signUps = new Counter({
    name: 'accounts_sign_ups_total',
    help: 'Sign-ups, by outcome: success, account_exists',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly passwordChanges = new Counter({
    name: 'accounts_password_changes_total',
    help: 'Passwords changed',
    registers: [this.registry],
  });
  private readonly revokedOnChange = new Counter({
    name: 'accounts_sessions_revoked_on_password_change_total',
    help: 'Other sessions signed out by password changes',
    registers: [this.registry],
  });
  // scrypt at the OWASP parameters takes a few hundred ms on a small machine: buckets around that.
  readonly hashSeconds = new Histogram({
    name: 'accounts_password_hash_seconds',
    help: 'Time of one scrypt computation (hash or verify), excluding the wait for a hashing slot',
    buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  rpcHandled(method: string, code: string, seconds: number): void {
    this.rpcs.rpcHandled(method, code, seconds);
  }

  signIn(outcome: SignInOutcome): void {
    this.signIns.labels(outcome).inc();
  }

  signUp(outcome: 'success' | 'account_exists'): void {
    this.signUps.labels(outcome).inc();
  }

  passwordChanged(revokedCount: number): void {
    this.passwordChanges.inc();
    this.revokedOnChange.inc(revokedCount);
  }
}
