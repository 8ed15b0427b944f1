import { freePort } from '@session/testing';
import { errorsLogged } from './support/process-log';
import { RequestStream, tally } from './support/request-stream';
import { createSession, isUnavailable, readSession, readUserData, send, tookMs, type Outcome } from './support/rest-client';
import { startDb, startGatewayFor, startService } from './support/stack';
import { Teardown } from './support/teardown';
import { answersSince, isRunning, recordFigures, sleep, timeUntil } from './support/wait';

const DEADLINE_MS = 2_000;
// With nothing listening, a call fails as soon as the connection is refused: far below the deadline.
const QUICK_MS = 1_000;
const DOWN_MS = 2_000;
const WORKERS = 6;

/**
 * SIGKILL, so nothing is drained: the gateway must notice on its own, answer
 * 503 meanwhile, and find the replacement on the same address without a restart.
 */
describe('the session service killed under load and replaced on the same port', () => {
  const teardown = new Teardown();
  const run = {} as {
    stream: RequestStream;
    killExitCode: number | null;
    down: Outcome[];
    readyzDown: Outcome;
    gatewayAliveWhileDown: boolean;
    firstOkAfterStartMs: number | null;
    recovered: Outcome[];
    readyzAfter: Outcome;
    validations: Outcome[];
    stored: Map<string, Record<string, unknown> | null>;
  };

  beforeAll(async () => {
    // The replacement must listen where the gateway's channel already looks.
    const address = `127.0.0.1:${await freePort()}`;
    const { db, dbName } = await startDb(teardown);
    const service = await startService(teardown, db, dbName, { SESSION_SERVICE_URL: address });
    const gateway = await startGatewayFor(teardown, address, { GRPC_DEADLINE_MS: String(DEADLINE_MS) });
    const sessions = await Promise.all([0, 1, 2, 3].map((i) => createSession(gateway.url, `crash-create-${i}`)));

    run.stream = new RequestStream({ baseUrl: gateway.url, sessions, workers: WORKERS, label: 'crash' }).start();
    teardown.add(() => run.stream.stop());
    await answersSince(run.stream, 2 * WORKERS);

    run.killExitCode = await service.stop('SIGKILL');
    const killedAt = Date.now();
    run.readyzDown = await send(gateway.url, { op: 'readyz', path: '/readyz', requestId: 'crash-readyz' });
    // A duration, not a wait: the service stays dead for DOWN_MS under load.
    await sleep(DOWN_MS);
    run.gatewayAliveWhileDown = isRunning(gateway.process.child);

    const starting = Date.now();
    const replacement = await startService(teardown, db, dbName, { SESSION_SERVICE_URL: address });
    const listeningAt = Date.now();
    let probe = 0;
    run.firstOkAfterStartMs = await timeUntil(
      async () => (await readSession(gateway.url, sessions[0], `crash-probe-${probe++}`)).status === 200,
      15_000,
    );
    const recoveredAt = Date.now();
    await answersSince(run.stream, 2 * WORKERS, recoveredAt);
    await run.stream.stop();
    run.readyzAfter = await send(gateway.url, { op: 'readyz', path: '/readyz', requestId: 'crash-readyz-after' });
    run.validations = await Promise.all(sessions.map((s) => readSession(gateway.url, s, `crash-validate-${s.sessionId}`)));
    run.stored = new Map();
    for (const s of sessions) run.stored.set(s.sessionId, await readUserData(gateway.url, s, `crash-readback-${s.sessionId}`));

    run.down = run.stream.outcomes.filter((o) => o.startedAt >= killedAt && o.endedAt < starting);
    run.recovered = run.stream.startedBetween(recoveredAt);
    recordFigures('service-crash', {
      slowestDownAnswerMs: Math.max(0, ...run.down.map(tookMs)),
      replacementStartMs: listeningAt - starting,
      listeningToFirst200Ms: run.firstOkAfterStartMs,
      all: tally(run.stream.outcomes),
      down: tally(run.down),
      recovered: tally(run.recovered),
      acknowledgedKeys: run.stream.acknowledgedKeys,
      gatewayErrors: errorsLogged(gateway.process.output()),
      serviceErrors: errorsLogged(replacement.process.output()),
    });
  });
  afterAll(() => teardown.run());

  it('answers 503 session_service_unavailable at once while the service is gone, and keeps running', () => {
    expect(run.killExitCode).toBeNull(); // killed by the signal, not exited
    expect(run.down.length).toBeGreaterThanOrEqual(WORKERS);
    expect(tally(run.down)).toEqual({ '503 session_service_unavailable': run.down.length });
    expect(run.down.filter((o) => tookMs(o) > QUICK_MS)).toEqual([]);
    expect(run.readyzDown).toMatchObject({ status: 503, code: 'session_service_unavailable' });
    expect(run.gatewayAliveWhileDown).toBe(true);
  });

  it('never answers a 500, a 504 or nothing, including for calls cut off by the kill', () => {
    expect(run.stream.outcomes.filter((o) => o.status !== 200 && !isUnavailable(o))).toEqual([]);
  });

  it('reconnects by itself to the replacement within seconds', () => {
    expect(run.firstOkAfterStartMs).not.toBeNull();
    expect(run.firstOkAfterStartMs).toBeLessThan(5_000);
    expect(run.recovered.length).toBeGreaterThanOrEqual(WORKERS);
    expect(tally(run.recovered)).toEqual({ 200: run.recovered.length });
    expect(run.readyzAfter.status).toBe(200);
  });

  it('still validates the sessions created before the crash, with every acknowledged write', () => {
    expect(run.validations.map((o) => o.status)).toEqual([200, 200, 200, 200]);
    expect(run.stream.acknowledgedKeys).toBeGreaterThan(0);
    expect(run.stream.lostWrites(run.stored)).toEqual([]);
  });
});
