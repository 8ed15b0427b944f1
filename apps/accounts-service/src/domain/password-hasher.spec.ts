import { PasswordHasher } from './password-hasher';

// Cheap parameters: these check the format and logic; the integration specs run the real cost.
const cheap = { N: 1024, r: 8, p: 1 };

describe('PasswordHasher', () => {
  it('stores a self-describing scrypt string with a fresh salt and verifies only the right password', async () => {
    const hasher = new PasswordHasher(cheap, 2);
    const [a, b] = [await hasher.hash('one long password'), await hasher.hash('one long password')];
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    await expect(hasher.verify('one long password', a)).resolves.toBe(true);
    await expect(hasher.verify('one long passwore', a)).resolves.toBe(false);
    await expect(hasher.verify('one long password', 'garbage')).resolves.toBe(false);
    await expect(hasher.verifyAgainstNothing('one long password')).resolves.toBe(false);
  });

  it('flags hashes made with other parameters for rehashing', async () => {
    const hasher = new PasswordHasher(cheap, 1);
    expect(hasher.needsRehash(await new PasswordHasher({ N: 512, r: 8, p: 1 }, 1).hash('x'))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'))).toBe(false);
  });

  it('runs at most `concurrency` hashes at once and times each', async () => {
    const seen: number[] = [];
    const hasher = new PasswordHasher(cheap, 1, (s) => seen.push(s));
    await Promise.all([hasher.hash('a'), hasher.hash('b'), hasher.hash('c')]);
    expect(seen).toHaveLength(3);
  });

  it("does not start a hash whose caller's deadline has passed", async () => {
    await expect(new PasswordHasher(cheap, 1).hash('a', Date.now() - 1)).rejects.toMatchObject({ code: 'timeout' });
  });
});
