import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AccountsError } from './errors';
import { Semaphore } from './semaphore';

export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP Password Storage Cheat Sheet: N=2^15, r=8, p=3 (32 MiB per hash), listed as equivalent to
 * N=2^17, r=8, p=1 at a quarter of the memory. docs/accounts.md has the cost measured here.
 */
export const OWASP_SCRYPT: ScryptParameters = Object.freeze({ N: 2 ** 15, r: 8, p: 3 });
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';

/** Told how long each hash took (seconds), for the hash duration histogram. */
export type HashObserver = (seconds: number) => void;

function scryptAsync(password: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  // Node refuses more than 32 MiB by default; 128*N*r*p-ish plus slack, twice the need, is enough.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

interface ParsedHash {
  readonly params: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** `scrypt$N$r$p$salt$key` (salt and key base64): self-describing, so parameters can be raised later. */
function parse(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(parts[4], 'base64'), key: Buffer.from(parts[5], 'base64') };
}

/**
 * Hashes and verifies passwords with node:crypto scrypt (libuv thread pool, no native add-on).
 * At most `concurrency` hashes run at once, since each takes 32 MiB; the others queue.
 */
export class PasswordHasher {
  private readonly slots: Semaphore;
  /** A real hash of a random password: verified against when the account does not exist, so both cases cost one hash. */
  private dummy: Promise<string> | undefined;

  constructor(
    private readonly params: ScryptParameters = OWASP_SCRYPT,
    concurrency = 2,
    private readonly observe: HashObserver = () => undefined,
  ) {
    this.slots = new Semaphore(concurrency);
  }

  /** `deadline` (epoch ms): a hash whose turn comes after it is not started (the caller has been answered already). */
  async hash(password: string, deadline = Infinity): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password, salt, this.params, deadline);
    return [PREFIX, this.params.N, this.params.r, this.params.p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** True when `password` matches; an unreadable stored value never matches (and still costs one hash). */
  async verify(password: string, stored: string, deadline = Infinity): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return this.verifyAgainstNothing(password, deadline);
    return this.matches(password, parsed, deadline);
  }

  /** Spends the same work as a verify against an existing account, and always fails. */
  async verifyAgainstNothing(password: string, deadline = Infinity): Promise<false> {
    await this.matches(password, parse(await this.dummyHash()) as ParsedHash, deadline);
    return false;
  }

  /** A stored hash made with weaker parameters than today's: rehashed after the next good sign-in. */
  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    return !parsed || parsed.params.N !== this.params.N || parsed.params.r !== this.params.r || parsed.params.p !== this.params.p;
  }

  /** Made at start (main.ts awaits it) so the first unknown-email sign-in costs no more than the others. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64'));
    return this.dummy;
  }

  private async matches(password: string, parsed: ParsedHash, deadline: number): Promise<boolean> {
    const key = await this.derive(password, parsed.salt, parsed.params, deadline);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  private derive(password: string, salt: Buffer, params: ScryptParameters, deadline: number): Promise<Buffer> {
    return this.slots.run(async () => {
      // Under overload the queue is long: work for a caller already answered would only lengthen it.
      if (Date.now() >= deadline) throw new AccountsError('timeout');
      const started = performance.now();
      try {
        return await scryptAsync(password, salt, params);
      } finally {
        this.observe((performance.now() - started) / 1_000);
      }
    });
  }
}
