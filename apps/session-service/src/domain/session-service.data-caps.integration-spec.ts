import { rulesOnDbPerFile } from '../testing/rules-on-db';
import { NO_DEADLINE } from './call-context';
import { PayloadTooLargeError } from './errors';

// Small caps so the boundaries are cheap: {"s":"…"} is 8 bytes around its string.
const ANONYMOUS = 40;
const SIGNED_IN = 100;
const on = rulesOnDbPerFile({ anonymousUserDataMaxBytes: ANONYMOUS, userDataMaxBytes: SIGNED_IN });
const ofBytes = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) });

describe('user_data caps by who holds the session', () => {
  it('holds an anonymous session to the anonymous cap on create, merge and replace, changing nothing when refused', async () => {
    await expect(on.service.create(ofBytes(ANONYMOUS + 1), NO_DEADLINE)).rejects.toThrow(new PayloadTooLargeError(ANONYMOUS));
    const { token, session } = await on.service.create(ofBytes(ANONYMOUS), NO_DEADLINE);
    for (const mode of ['merge', 'replace'] as const) {
      await expect(on.service.updateData(token, { userData: ofBytes(ANONYMOUS + 1), mode }, NO_DEADLINE)).rejects.toThrow(
        new PayloadTooLargeError(ANONYMOUS),
      );
    }
    expect(await on.rules.repository.findById(session.sessionId, NO_DEADLINE)).toMatchObject({ version: 0, userData: ofBytes(ANONYMOUS) });
    expect((await on.service.updateData(token, { userData: ofBytes(ANONYMOUS), mode: 'replace' }, NO_DEADLINE)).version).toBe(1);
  });

  it('lets a signed-in session hold up to USER_DATA_MAX_BYTES, refusing a replace beyond it before reading the session', async () => {
    const created = await on.service.create(null, NO_DEADLINE);
    const { token } = await on.service.bindUser(created.token, 'capped', NO_DEADLINE);
    expect((await on.service.updateData(token, { userData: ofBytes(SIGNED_IN), mode: 'merge' }, NO_DEADLINE)).userData).toEqual(
      ofBytes(SIGNED_IN),
    );
    const unread = on.rules.service({ replace: { findByToken: () => Promise.reject(new Error('the session was read')) } });
    await expect(unread.updateData(token, { userData: ofBytes(SIGNED_IN + 1), mode: 'replace' }, NO_DEADLINE)).rejects.toThrow(
      new PayloadTooLargeError(SIGNED_IN),
    );
    await expect(on.service.updateData(token, { userData: { more: 'x' }, mode: 'merge' }, NO_DEADLINE)).rejects.toThrow(
      new PayloadTooLargeError(SIGNED_IN),
    );
  });
});
