import { createSession, patchData, readSession, send, type RestSession } from './support/rest-client';
import { feedsLive, hits, PROPAGATION_BOUND_MS, ReadProbe, startFeedStack, warm, type FeedStack } from './support/feed-stack';
import { freeze, thaw } from './support/freeze';
import { Teardown } from './support/teardown';
import { recordFigures, timeUntil } from './support/wait';

/**
 * Revocation through the near cache across two session-service replicas and
 * two gateways (each subscribed to both replicas' feeds): every cached entry
 * is warm first (the hit counter moved), so a refusal proves a cached entry
 * was refused, not merely that the service said no.
 */
describe('revocation through the near cache across replicas (two services, two gateways, one database)', () => {
  const teardown = new Teardown();
  let stack: FeedStack;
  const gw = (i: number) => stack.replicas.gateways[i];

  beforeAll(async () => {
    stack = await startFeedStack(teardown);
  }, 120_000);
  afterAll(() => teardown.run());

  /** Creates a session, warms it on both gateways, and probes it on both. */
  async function warmEverywhere(label: string): Promise<{ session: RestSession; probes: ReadProbe[] }> {
    const session = await createSession(gw(0).url, `${label}-create`);
    await warm(gw(0), session);
    await warm(gw(1), session);
    return { session, probes: [0, 1].map((i) => new ReadProbe(gw(i), session, `${label}-probe-${i}`)) };
  }

  /** After the revocation returned at `returnedAt`: every gateway refuses within the bound and never accepts after it. */
  async function expectRefusedEverywhere(label: string, session: RestSession, probes: ReadProbe[], returnedAt: number): Promise<void> {
    const refusedIn = await Promise.all(
      [0, 1].map((i) => timeUntil(async () => (await readSession(gw(i).url, session, `${label}-check-${i}`)).status === 401, 5_000, 10)),
    );
    const outcomes = await Promise.all(probes.map((p) => p.stop()));
    recordFigures(`feed-${label}`, { refusedInMs: refusedIn, probed: outcomes.map((o) => o.length) });
    for (const ms of refusedIn) expect(ms).not.toBeNull();
    for (const probe of probes) expect(probe.acceptedAfter(returnedAt + PROPAGATION_BOUND_MS)).toEqual([]);
  }

  it('logout through gateway A is refused by gateway B within the bound (B had it cached)', async () => {
    const { session, probes } = await warmEverywhere('logout');
    const out = await send(gw(0).url, {
      op: 'logout',
      method: 'DELETE',
      path: '/api/sessions/current',
      token: session.token,
      requestId: 'logout-a',
    });
    const returnedAt = Date.now();
    expect(out.status).toBe(204);
    // The gateway that made the write refuses at once.
    expect((await readSession(gw(0).url, session, 'logout-a-after')).status).toBe(401);
    await expectRefusedEverywhere('logout', session, probes, returnedAt);
  });

  it('gRPC RevokeSession through replica 1 is refused by both gateways', async () => {
    const { session, probes } = await warmEverywhere('revoke-one');
    expect((await stack.apis[1].revokeSession({ token: session.token })).revoked).toBe(true);
    await expectRefusedEverywhere('revoke-one', session, probes, Date.now());
  });

  it('gRPC RevokeUserSessions through replica 0 is refused by both gateways, except the kept session', async () => {
    const first = await createSession(gw(0).url, 'user-a');
    const kept = await createSession(gw(1).url, 'user-b');
    const userId = `user-${first.sessionId}`;
    const bound = await stack.apis[1].bindUser({ token: first.token, user_id: userId });
    const keptBound = await stack.apis[0].bindUser({ token: kept.token, user_id: userId });
    const revokedSession = { token: bound.token, sessionId: first.sessionId };
    const keptSession = { token: keptBound.token, sessionId: kept.sessionId };
    for (const g of [0, 1]) {
      await warm(gw(g), revokedSession);
      await warm(gw(g), keptSession);
    }
    const probes = [0, 1].map((i) => new ReadProbe(gw(i), revokedSession, `user-probe-${i}`));
    await stack.apis[0].revokeUserSessions({ user_id: userId, except_session_id: kept.sessionId });
    await expectRefusedEverywhere('revoke-user', revokedSession, probes, Date.now());
    for (const g of [0, 1]) expect((await readSession(gw(g).url, keptSession, `user-kept-${g}`)).status).toBe(200);
  });

  it('BindUser rotation through replica 0 refuses the old token on both gateways and accepts the new one', async () => {
    const { session, probes } = await warmEverywhere('rotate');
    const rotated = await stack.apis[0].bindUser({ token: session.token, user_id: `user-rotate-${session.sessionId}` });
    await expectRefusedEverywhere('rotate', session, probes, Date.now());
    for (const g of [0, 1])
      expect((await readSession(gw(g).url, { token: rotated.token, sessionId: session.sessionId }, `rotate-new-${g}`)).status).toBe(200);
  });

  it('a PATCH through gateway A is read back through gateway B (which had the old version cached)', async () => {
    const session = await createSession(gw(0).url, 'rw-create');
    await warm(gw(0), session);
    await warm(gw(1), session);
    const patched = await patchData(gw(0).url, session, { colour: 'blue' }, 'rw-patch');
    const patchedAt = Date.now();
    expect(patched.status).toBe(200);
    const version = (patched.body as { session: { version: number } }).session.version;
    const seenIn = await timeUntil(
      async () => {
        const res = await readSession(gw(1).url, session, 'rw-read-b');
        return (res.body as { session?: { version: number } }).session?.version === version;
      },
      5_000,
      10,
    );
    recordFigures('feed-read-your-write', { seenOnBInMs: seenIn, sincePatchMs: Date.now() - patchedAt });
    expect(seenIn).not.toBeNull();
    expect(seenIn!).toBeLessThanOrEqual(PROPAGATION_BOUND_MS);
  });

  it('replica SIGKILLed, frozen and restarted: no stale acceptance at any moment, and hits resume after reconnect', async () => {
    const victim = stack.replicas.services[1];
    // Killed: its feed closes at once; a revocation through the other replica is still refused everywhere.
    const killed = await warmEverywhere('kill');
    await victim.current.stop('SIGKILL');
    await stack.apis[0].revokeSession({ token: killed.session.token });
    await expectRefusedEverywhere('kill', killed.session, killed.probes, Date.now());
    await victim.restart();
    await feedsLive(stack.replicas);
    const after = await createSession(gw(0).url, 'kill-after');
    await warm(gw(0), after); // hits resume (warm waits for the hit counter to move)
    await warm(gw(1), after);

    // Frozen: sockets stay open, heartbeats stop; the gateways stop trusting the cache within FEED_STALE_AFTER.
    const frozen = await warmEverywhere('freeze');
    freeze(victim.current.process.child.pid);
    try {
      await stack.apis[0].revokeSession({ token: frozen.session.token });
      await expectRefusedEverywhere('freeze', frozen.session, frozen.probes, Date.now());
    } finally {
      thaw(victim.current.process.child.pid);
    }
    await feedsLive(stack.replicas);
    const thawed = await createSession(gw(1).url, 'freeze-after');
    await warm(gw(1), thawed);

    // Restarted (a new stream id, a new RESET): a revocation through it is refused everywhere.
    const restarted = await warmEverywhere('restart');
    await victim.restart();
    await feedsLive(stack.replicas);
    const before = await hits(gw(0));
    await stack.apis[1].revokeSession({ token: restarted.session.token });
    await expectRefusedEverywhere('restart', restarted.session, restarted.probes, Date.now());
    const again = await createSession(gw(0).url, 'restart-after');
    await warm(gw(0), again);
    expect(await hits(gw(0))).toBeGreaterThan(before);
  });
});
