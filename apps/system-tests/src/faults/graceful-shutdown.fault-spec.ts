import { createSessionClient, SessionApi } from '@session/grpc-client';
import { inFlightAt, sigtermWhileHeld } from './support/drain';
import { CallStream, sessionCall, tallyCodes, timedCall, type CallOutcome } from './support/grpc-calls';
import { requestsReceived } from './support/process-log';
import { RequestStream, tally } from './support/request-stream';
import { createSession, readSession, type Outcome } from './support/rest-client';
import { startDb, startGatewayFor, startService } from './support/stack';
import { Teardown } from './support/teardown';
import { answersSince, recordFigures } from './support/wait';

const WORKERS = 6;
const BURST = 10;
// How long the frozen dependency holds the in-flight work after the signal: a process that does
// not wait for its in-flight work exits well before this.
const HOLD_AFTER_SIGNAL_MS = 400;
const EXIT_WITHIN_MS = 10_000;

/**
 * The dependency each process waits on is frozen (SIGSTOP) just before the
 * SIGTERM and thawed just after, so a known set of requests is certainly in
 * flight when the signal lands, and draining has to wait for them.
 */
describe('the gateway on SIGTERM under load', () => {
  const teardown = new Teardown();
  const run = {} as { outcomes: Outcome[]; received: Set<string>; signalledAt: number; exitCode: number | null; drainMs: number | null };

  beforeAll(async () => {
    const { db, dbName } = await startDb(teardown);
    const service = await startService(teardown, db, dbName);
    const gateway = await startGatewayFor(teardown, service.address);
    const sessions = await Promise.all([0, 1, 2, 3].map((i) => createSession(gateway.url, `drain-create-${i}`)));
    const stream = new RequestStream({ baseUrl: gateway.url, sessions, workers: WORKERS, label: 'drain' }).start();
    teardown.add(() => stream.stop());
    await answersSince(stream, 2 * WORKERS);

    const drain = await sigtermWhileHeld({
      target: gateway.process,
      dependencyPid: service.process.child.pid,
      burst: () => Promise.all(Array.from({ length: BURST }, (_, i) => readSession(gateway.url, sessions[i % sessions.length], `drain-burst-${i}`))),
      holdAfterSignalMs: HOLD_AFTER_SIGNAL_MS,
      exitWithinMs: EXIT_WITHIN_MS,
    });
    await stream.stop();
    Object.assign(run, drain, { outcomes: [...stream.outcomes, ...drain.burst], received: requestsReceived(gateway.process.output()) });
    recordFigures('gateway-sigterm', {
      drainMs: run.drainMs,
      exitCode: run.exitCode,
      inFlightAtSignal: tally(inFlightAt(run.outcomes, run.signalledAt)),
      accepted: tally(run.outcomes.filter((o) => run.received.has(o.requestId))),
      notAccepted: tally(run.outcomes.filter((o) => !run.received.has(o.requestId))),
    });
  });
  afterAll(() => teardown.run());

  it('accepted every request sent before the signal and completed each without a 5xx', () => {
    expect(inFlightAt(run.outcomes, run.signalledAt).length).toBeGreaterThanOrEqual(WORKERS + BURST);
    const before = run.outcomes.filter((o) => o.startedAt < run.signalledAt);
    expect(before.filter((o) => !run.received.has(o.requestId)).map((o) => o.requestId)).toEqual([]);
    const accepted = run.outcomes.filter((o) => run.received.has(o.requestId));
    expect(accepted.filter((o) => o.status === undefined || o.status >= 500)).toEqual([]);
  });

  it('turns later requests away only by refusing them, never by hanging', () => {
    const later = run.outcomes.filter((o) => !run.received.has(o.requestId));
    expect(later.filter((o) => o.error === 'hang' || (o.status !== undefined && o.status !== 503))).toEqual([]);
  });

  it('exits 0 within 10 s, once the requests in flight are done', () => {
    expect(run.exitCode).toBe(0);
    expect(run.drainMs).not.toBeNull();
    expect(run.drainMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(run.drainMs).toBeGreaterThanOrEqual(HOLD_AFTER_SIGNAL_MS);
  });
});

describe('the session service on SIGTERM with gRPC calls in flight', () => {
  const teardown = new Teardown();
  const run = {} as { outcomes: CallOutcome[]; signalledAt: number; exitCode: number | null; drainMs: number | null };

  beforeAll(async () => {
    const { db, dbName } = await startDb(teardown);
    const service = await startService(teardown, db, dbName);
    const client = createSessionClient({ address: service.address });
    teardown.add(async () => client.close());
    // Longer than the whole hold, so a call can only fail because the server cut it.
    const api = new SessionApi(client, 8_000);
    const tokens = await Promise.all([0, 1, 2, 3].map(async () => (await api.createSession({})).token));
    const calls = new CallStream(api, tokens, WORKERS).start();
    teardown.add(() => calls.stop());
    await answersSince(calls, 2 * WORKERS);

    const drain = await sigtermWhileHeld({
      target: service.process,
      dependencyPid: db.process.child.pid,
      burst: () => Promise.all(Array.from({ length: BURST }, (_, i) => timedCall(`burst-${i}`, sessionCall(api, tokens[i % tokens.length], i)))),
      holdAfterSignalMs: HOLD_AFTER_SIGNAL_MS,
      exitWithinMs: EXIT_WITHIN_MS,
    });
    await calls.stop();
    Object.assign(run, drain, { outcomes: [...calls.outcomes, ...drain.burst] });
    recordFigures('session-service-sigterm', {
      drainMs: run.drainMs,
      exitCode: run.exitCode,
      inFlightAtSignal: tallyCodes(inFlightAt(run.outcomes, run.signalledAt)),
      beforeSignal: tallyCodes(run.outcomes.filter((o) => o.startedAt < run.signalledAt)),
      afterSignal: tallyCodes(run.outcomes.filter((o) => o.startedAt >= run.signalledAt)),
    });
  });
  afterAll(() => teardown.run());

  it('completes every call in flight at the signal (and every earlier one) with OK', () => {
    expect(inFlightAt(run.outcomes, run.signalledAt).length).toBeGreaterThanOrEqual(WORKERS + BURST);
    const before = run.outcomes.filter((o) => o.startedAt < run.signalledAt);
    expect(tallyCodes(before)).toEqual({ OK: before.length });
  });

  it('refuses calls after the signal as UNAVAILABLE, so clients retry elsewhere', () => {
    const later = run.outcomes.filter((o) => o.startedAt >= run.signalledAt);
    expect(later.filter((o) => o.code !== 'OK' && o.code !== 'UNAVAILABLE')).toEqual([]);
  });

  it('exits 0 within 10 s, once the calls in flight are done', () => {
    expect(run.exitCode).toBe(0);
    expect(run.drainMs).not.toBeNull();
    expect(run.drainMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(run.drainMs).toBeGreaterThanOrEqual(HOLD_AFTER_SIGNAL_MS);
  });
});
