import { createFakeSessionApi } from './testing';
import { createSessionRestClient } from './session-rest-client';
import { endedSnapshot, parseSnapshot, readSnapshot, sessionSnapshot, SNAPSHOT_KEY, writeSnapshot } from './session-snapshot';
import { withLock } from './create-lock';

/** What the snapshot keeps of a session: all of it but the claims. */
const kept = (session: object) => Object.fromEntries(Object.entries(session).filter(([key]) => key !== 'claims'));

describe('session snapshot', () => {
  it('round-trips a session and an end marker, and rejects anything else', async () => {
    const { session } = await createSessionRestClient({ fetch: createFakeSessionApi().fetch }).create();
    expect(parseSnapshot(JSON.stringify(sessionSnapshot(session)))).toMatchObject({ kind: 'session', session: kept(session) });
    expect(parseSnapshot(JSON.stringify(endedSnapshot(session.session_id)))).toMatchObject({
      kind: 'ended',
      session_id: session.session_id,
    });
    expect(parseSnapshot('{"kind":"session","session_id":"x","session":{}}')).toBeNull();
    expect(parseSnapshot(JSON.stringify({ ...sessionSnapshot(session), session_id: 'other' }))).toBeNull();
    expect(parseSnapshot('[')).toBeNull();
    expect(parseSnapshot(null)).toBeNull();
  });

  it('keeps the measured clock skew, and reads a snapshot without one as no skew', async () => {
    const { session } = await createSessionRestClient({ fetch: createFakeSessionApi().fetch }).create();
    expect(parseSnapshot(JSON.stringify(sessionSnapshot(session, -4_000)))).toMatchObject({ kind: 'session', skew_ms: -4_000 });
    const older = JSON.stringify({ kind: 'session', session_id: session.session_id, session, saved_at: session.created_at });
    expect(parseSnapshot(older)).toMatchObject({ kind: 'session', session: kept(session), skew_ms: 0 });
    expect(parseSnapshot(JSON.stringify({ ...sessionSnapshot(session), skew_ms: 'soon' }))).toMatchObject({ skew_ms: 0 });
  });

  it('never stores the claims, and drops them from a snapshot stored with them', async () => {
    const { session } = await createSessionRestClient({ fetch: createFakeSessionApi().fetch }).create();
    const withClaims = { ...session, user_id: 'user-1', claims: { roles: ['admin'], email: 'ada@example.com' } };
    const raw = JSON.stringify(sessionSnapshot(withClaims));
    expect(raw).not.toMatch(/claims|admin|ada@example/);
    expect(JSON.parse(raw)).toMatchObject({ session: { user_id: 'user-1' } });
    const stored = parseSnapshot(
      JSON.stringify({ kind: 'session', session_id: session.session_id, session: withClaims, saved_at: session.created_at }),
    );
    expect(stored?.kind === 'session' && stored.session).not.toHaveProperty('claims');
  });

  it('treats a storage that throws as empty', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(() => writeSnapshot(broken, endedSnapshot('x'))).not.toThrow();
    expect(readSnapshot(broken)).toBeNull();
    writeSnapshot(localStorage, endedSnapshot('y'));
    expect(readSnapshot(localStorage)).toMatchObject({ kind: 'ended', session_id: 'y' });
    expect(localStorage.getItem(SNAPSHOT_KEY)).toContain('"ended"');
  });
});

describe('withLock fallback', () => {
  it('runs tasks for one name one after another, even when one fails', async () => {
    const order: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        order.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([withLock(null, 'k', task('a', 20, true)), withLock(null, 'k', task('b', 1))]);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});
