import fc from 'fast-check';
import { createSession, patchData, readSession, send, type RestSession } from '../faults/support/rest-client';
import { PROPAGATION_BOUND_MS, startFeedStack, type FeedStack } from '../faults/support/feed-stack';
import { Teardown } from '../faults/support/teardown';
import { timeUntil } from '../faults/support/wait';

// The check itself makes one read per session per gateway; the bound covers the feed lag plus those reads.
const AGREEMENT_BOUND_MS = PROPAGATION_BOUND_MS * 5;

type Command =
  | { readonly op: 'patch'; readonly gateway: number; readonly session: number; readonly value: number }
  | { readonly op: 'logout'; readonly gateway: number; readonly session: number }
  | { readonly op: 'revoke'; readonly replica: number; readonly session: number }
  | { readonly op: 'read'; readonly gateway: number; readonly session: number };

const SESSIONS = 3;
const index = (n: number) => fc.integer({ min: 0, max: n - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('patch' as const), gateway: index(2), session: index(SESSIONS), value: fc.integer() }),
  fc.record({ op: fc.constant('logout' as const), gateway: index(2), session: index(SESSIONS) }),
  fc.record({ op: fc.constant('revoke' as const), replica: index(2), session: index(SESSIONS) }),
  fc.record({ op: fc.constant('read' as const), gateway: index(2), session: index(SESSIONS) }),
);

/**
 * Random writes and revocations through random gateways and replicas: after
 * each one, every gateway's answer for every session agrees with what the
 * database holds (revoked -> 401, live -> 200 with the stored version)
 * within the bound, although every gateway answers from its near cache.
 */
describe('near cache agrees with the database after random writes through random gateways and replicas', () => {
  const teardown = new Teardown();
  let stack: FeedStack;
  beforeAll(async () => {
    stack = await startFeedStack(teardown);
  }, 120_000);
  afterAll(() => teardown.run());

  async function agrees(sessions: readonly RestSession[]): Promise<boolean> {
    const docs = await stack.sessions.find({ _id: { $in: sessions.map((s) => s.sessionId) } } as never).toArray();
    const truth = new Map(docs.map((d) => [String(d._id), d]));
    for (const gateway of stack.replicas.gateways) {
      for (const s of sessions) {
        const doc = truth.get(s.sessionId);
        const res = await readSession(gateway.url, s, `agree-${s.sessionId}`);
        if (!doc || doc.revoked_at) {
          if (res.status !== 401) return false;
        } else if (res.status !== 200 || (res.body as { session: { version: number } }).session.version !== Number(doc.version)) {
          return false;
        }
      }
    }
    return true;
  }

  it('holds for 15 random sequences of up to 8 commands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), async (commands) => {
        const gateways = stack.replicas.gateways;
        const sessions = await Promise.all(
          Array.from({ length: SESSIONS }, (_, i) => createSession(gateways[i % 2].url, `prop-create-${i}`)),
        );
        // Warm every gateway's cache for every session first, so stale entries are possible at all.
        await agrees(sessions);
        await agrees(sessions);
        for (const c of commands) {
          const s = sessions[c.session];
          if (c.op === 'patch') await patchData(gateways[c.gateway].url, s, { k: c.value }, 'prop-patch');
          else if (c.op === 'logout')
            await send(gateways[c.gateway].url, {
              op: 'logout',
              method: 'DELETE',
              path: '/api/sessions/current',
              token: s.token,
              requestId: 'prop-logout',
            });
          else if (c.op === 'revoke') await stack.apis[c.replica].revokeSession({ token: s.token }).catch(() => undefined);
          else await readSession(gateways[c.gateway].url, s, 'prop-read');
          const agreedIn = await timeUntil(() => agrees(sessions), AGREEMENT_BOUND_MS, 10);
          if (agreedIn === null) return false;
        }
        return true;
      }),
      { numRuns: 15 },
    );
  });
});
