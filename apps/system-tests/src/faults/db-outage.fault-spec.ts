import { errorsLogged } from './support/process-log';
import { RequestStream, tally } from './support/request-stream';
import { createSession, isUnavailable, readSession, readUserData, send, tookMs, type Outcome } from './support/rest-client';
import { healthProbe, startDb, startGatewayFor, startService } from './support/stack';
import { Teardown } from './support/teardown';
import { isRunning, recordFigures, sleep, timeUntil } from './support/wait';

// The gateway's default GRPC_DEADLINE_MS, spelled out because the bounds below are stated against it.
const DEADLINE_MS = 2_000;
// Scheduling slack on two shared cores: a request may queue a little before and after its gRPC call.
const MARGIN_MS = 750;
// Long enough for every timeout inside the stack (driver server selection, health pings) to play out.
const OUTAGE_MS = 4_000;
const WORKERS = 6;

/**
 * The scenario runs once (beforeAll) under a steady stream of reads and
 * merge patches; each test then checks one property of what was observed.
 */
describe('the database going away under load and coming back', () => {
  const teardown = new Teardown();
  const run = {} as {
    stream: RequestStream;
    healthBefore: string;
    notServingMs: number | null;
    readyzDown: Outcome;
    aliveDuringOutage: { service: boolean; gateway: boolean };
    outage: Outcome[];
    servingAfterRestartMs: number | null;
    firstOkAfterRestartMs: number | null;
    recovered: Outcome[];
    readyzAfter: Outcome;
    aliveAtEnd: { service: boolean; gateway: boolean };
    stored: Map<string, Record<string, unknown> | null>;
  };

  beforeAll(async () => {
    const { db, dbName } = await startDb(teardown);
    const service = await startService(teardown, db, dbName);
    const gateway = await startGatewayFor(teardown, service.address, { GRPC_DEADLINE_MS: String(DEADLINE_MS) });
    const health = healthProbe(teardown, service.address);
    const sessions = await Promise.all([0, 1, 2, 3].map((i) => createSession(gateway.url, `outage-create-${i}`)));
    const alive = () => ({ service: isRunning(service.process.child), gateway: isRunning(gateway.process.child) });

    run.healthBefore = await health();
    run.stream = new RequestStream({ baseUrl: gateway.url, sessions, workers: WORKERS, label: 'outage' }).start();
    teardown.add(() => run.stream.stop());
    await sleep(1_000);

    const stopping = Date.now();
    await db.stop();
    const stoppedAt = Date.now();
    run.notServingMs = await timeUntil(async () => (await health()) === 'NOT_SERVING', 10_000);
    run.readyzDown = await send(gateway.url, { op: 'readyz', path: '/readyz', requestId: 'outage-readyz' });
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    run.aliveDuringOutage = alive();

    const restarting = Date.now();
    await db.restart();
    run.servingAfterRestartMs = await timeUntil(async () => (await health()) === 'SERVING', 10_000);
    let probe = 0;
    run.firstOkAfterRestartMs = await timeUntil(
      async () => (await readSession(gateway.url, sessions[0], `outage-probe-${probe++}`)).status === 200,
      10_000,
    );
    const recoveredAt = Date.now();
    await sleep(1_000);
    await run.stream.stop();
    run.readyzAfter = await send(gateway.url, { op: 'readyz', path: '/readyz', requestId: 'outage-readyz-after' });
    run.aliveAtEnd = alive();
    run.stored = new Map();
    for (const s of sessions) run.stored.set(s.sessionId, await readUserData(gateway.url, s, `outage-readback-${s.sessionId}`));

    // Requests that started and ended while the database was down; ones that outlive the outage may succeed.
    run.outage = run.stream.outcomes.filter((o) => o.startedAt >= stoppedAt && o.endedAt < restarting);
    run.recovered = run.stream.startedBetween(recoveredAt);
    const firstUnavailable = run.stream.outcomes.filter((o) => o.startedAt >= stopping && isUnavailable(o)).sort((a, b) => a.endedAt - b.endedAt)[0];
    recordFigures('db-outage', {
      firstUnavailableAfterStopMs: firstUnavailable ? firstUnavailable.endedAt - stopping : null,
      slowestOutageAnswerMs: Math.max(0, ...run.outage.map(tookMs)),
      healthNotServingAfterMs: run.notServingMs,
      healthServingAfterRestartMs: run.servingAfterRestartMs,
      restartToFirst200Ms: run.firstOkAfterRestartMs,
      all: tally(run.stream.outcomes),
      outage: tally(run.outage),
      recovered: tally(run.recovered),
      acknowledgedKeys: run.stream.acknowledgedKeys,
      serviceErrors: errorsLogged(service.process.output()),
      gatewayErrors: errorsLogged(gateway.process.output()),
    });
  });
  afterAll(() => teardown.run());

  it('answers every request 503 session_service_unavailable within the deadline while the database is down', () => {
    expect(run.outage.length).toBeGreaterThanOrEqual(WORKERS);
    expect(tally(run.outage)).toEqual({ '503 session_service_unavailable': run.outage.length });
    expect(run.outage.filter((o) => tookMs(o) > DEADLINE_MS + MARGIN_MS)).toEqual([]);
  });

  it('never answers a 500, a 504 or nothing, whatever the moment', () => {
    expect(run.stream.outcomes.filter((o) => o.status !== 200 && !isUnavailable(o))).toEqual([]);
  });

  it('reports NOT_SERVING over grpc health and 503 on /readyz while down, and neither process exits', () => {
    expect(run.healthBefore).toBe('SERVING');
    expect(run.notServingMs).not.toBeNull();
    expect(run.readyzDown).toMatchObject({ status: 503, code: 'session_service_unavailable' });
    expect(run.aliveDuringOutage).toEqual({ service: true, gateway: true });
  });

  it('recovers by itself once the database is back: SERVING and 200s again within seconds', () => {
    expect(run.servingAfterRestartMs).not.toBeNull();
    expect(run.servingAfterRestartMs).toBeLessThan(5_000);
    expect(run.firstOkAfterRestartMs).not.toBeNull();
    expect(run.firstOkAfterRestartMs).toBeLessThan(5_000);
    expect(run.recovered.length).toBeGreaterThanOrEqual(WORKERS);
    expect(tally(run.recovered)).toEqual({ 200: run.recovered.length });
    expect(run.readyzAfter.status).toBe(200);
    expect(run.aliveAtEnd).toEqual({ service: true, gateway: true });
  });

  it('keeps every write it acknowledged', () => {
    expect(run.stream.acknowledgedKeys).toBeGreaterThan(0);
    expect(run.stream.lostWrites(run.stored)).toEqual([]);
  });
});
