import { LRUCache } from 'lru-cache';

export interface ThrottleLimits {
  readonly perAccount: number;
  readonly perAddress: number;
  readonly windowMs: number;
}

interface Counter {
  /** When each failure within the window happened, oldest first. */
  failures: number[];
  /** Attempts admitted and still hashing: they count as failures until they settle. */
  pending: number;
}

/** What an admitted attempt must report once the password has been checked. */
export interface Reservation {
  /** `released`: the check never happened (the database failed, say): the slot is freed, nothing counted. */
  settle(outcome: 'success' | 'failure' | 'released'): void;
}

export type Admission =
  { readonly ok: true; readonly reservation: Reservation } | { readonly ok: false; readonly retryAfterSeconds: number };

/** Keys tracked at most per kind; the oldest are forgotten first (memory stays bounded under a flood of made-up emails). */
const MAX_KEYS = 100_000;

/**
 * Failed sign-ins per account (normalized email, whether or not it exists, so the throttle says
 * nothing about existence) and per client address, in a sliding window. An attempt reserves its
 * slot before the password is hashed, synchronously, so a concurrent burst cannot slip past the
 * limit while the first attempts are still hashing: at most `limit` hashes run per key and window.
 * Per process: with N replicas the effective limit is N times (docs/accounts.md).
 */
export class SignInThrottle {
  private readonly accounts: LRUCache<string, Counter>;
  private readonly addresses: LRUCache<string, Counter>;

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.accounts = new LRUCache({ max: MAX_KEYS });
    this.addresses = new LRUCache({ max: MAX_KEYS });
  }

  admit(account: string, address: string): Admission {
    const at = this.now();
    const byAccount = this.counter(this.accounts, account, at);
    // No address (a caller that did not pass one) is not one shared bucket for everybody.
    const byAddress = address ? this.counter(this.addresses, address, at) : undefined;
    const waits = [this.waitMs(byAccount, this.limits.perAccount, at), byAddress ? this.waitMs(byAddress, this.limits.perAddress, at) : 0];
    const wait = Math.max(...waits);
    if (wait > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1_000)) };
    byAccount.pending++;
    if (byAddress) byAddress.pending++;
    let settled = false;
    return {
      ok: true,
      reservation: {
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          const when = this.now();
          for (const counter of [byAccount, byAddress]) {
            if (!counter) continue;
            counter.pending--;
            if (outcome === 'failure') counter.failures.push(when);
          }
          // The right password ends the account's run of failures; the address keeps its count.
          if (outcome === 'success') byAccount.failures = [];
        },
      },
    };
  }

  /** 0 when one more attempt fits; otherwise how long until the oldest failure leaves the window. */
  private waitMs(counter: Counter, limit: number, at: number): number {
    if (counter.failures.length + counter.pending < limit) return 0;
    // Only attempts still hashing fill it: they settle within a second or so.
    if (counter.failures.length === 0) return 1_000;
    return counter.failures[0] + this.limits.windowMs - at;
  }

  private counter(cache: LRUCache<string, Counter>, key: string, at: number): Counter {
    let counter = cache.get(key);
    if (!counter) {
      counter = { failures: [], pending: 0 };
      cache.set(key, counter);
    }
    const cutoff = at - this.limits.windowMs;
    while (counter.failures.length > 0 && counter.failures[0] <= cutoff) counter.failures.shift();
    return counter;
  }
}
