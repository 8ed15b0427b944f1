import type { EmbeddedDb, GatewayProcess, SessionServiceProcess } from '@session/testing';
import { RequestStream, tally } from './support/request-stream';
import { createSession, readSession, readUserData, send, type Outcome, type RestSession } from './support/rest-client';
import { healthProbe, startDb, startGatewayFor, startService } from './support/stack';
import { Teardown } from './support/teardown';
import { isRunning, recordFigures, sleep, waitUntil } from './support/wait';

// The gateway's default GRPC_DEADLINE_MS, spelled out because the bounds below are stated against it.
const DEADLINE_MS = 5_000;
// Scheduling slack on two shared cores: a request may queue a little before and after its gRPC call.
const MARGIN_MS = 750;
// Long enough for every timeout inside the stack (driver server selection, health pings) to have played out.
const OUTAGE_MS = 4_000;

const ms = (o: Outcome) => o.endedAt - o.startedAt;

describe('the database going away under load and coming back', () => {
  const teardown = new Teardown();
  let db: EmbeddedDb;
  let service: SessionServiceProcess;
  let gateway: GatewayProcess;
  let health: ReturnType<typeof healthProbe>;
  let sessions: RestSession[];

  beforeAll(async () => {
    const started = await startDb(teardown);
    db = started.db;
    service = await startService(teardown, db, started.dbName);
    gateway = await startGatewayFor(teardown, service.address, { GRPC_DEADLINE_MS: String(DEADLINE_MS) });
    health = healthProbe(teardown, service.address);
    sessions = await Promise.all([0, 1, 2, 3].map((i) => createSession(gateway.url, `outage-create-${i}`)));
  });
  afterAll(() => teardown.run());

  it('answers 503 within the deadline while it is down, reports NOT_SERVING, recovers alone and loses no acknowledged write', async () => {
    expect(await health()).toBe('SERVING');
    const stream = new RequestStream({ baseUrl: gateway.url, sessions, workers: 6, label: 'outage' }).start();
    await sleep(1_000);

    const stopping = Date.now();
    await db.stop();
    const stoppedAt = Date.now();
    const notServingMs = await waitUntil('session service health NOT_SERVING', async () => (await health()) === 'NOT_SERVING', 10_000);
    const readyz = await send(gateway.url, { op: 'readyz', path: '/readyz', requestId: 'outage-readyz' });
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    const outageEnd = Date.now();
    const aliveDuringOutage = { service: isRunning(service.process.child), gateway: isRunning(gateway.process.child) };

    await db.restart();
    const restartedAt = Date.now();
    const servingMs = await waitUntil('session service health SERVING', async () => (await health()) === 'SERVING', 15_000);
    let probe = 0;
    const readableMs = await waitUntil(
      'GET /api/sessions/current 200 after the restart',
      async () => (await readSession(gateway.url, sessions[0], `outage-probe-${probe++}`)).status === 200,
      15_000,
    );
    const recoveredAt = Date.now();
    await sleep(1_000);
    await stream.stop();
    const readyAfter = await send(gateway.url, { op: 'readyz', path: '/readyz', requestId: 'outage-readyz-after' });

    const stored = new Map<string, Record<string, unknown>>();
    for (const s of sessions) stored.set(s.sessionId, await readUserData(gateway.url, s, `outage-readback-${s.sessionId}`));

    const before = stream.startedBetween(0, stopping);
    const during = stream.startedBetween(stoppedAt, outageEnd);
    const transition = stream.startedBetween(outageEnd, recoveredAt);
    const after = stream.startedBetween(recoveredAt);
    const first503 = stream.outcomes.filter((o) => o.status === 503).sort((a, b) => a.endedAt - b.endedAt)[0];
    recordFigures('db-outage', {
      timeToFirst503Ms: first503 ? first503.endedAt - stoppedAt : null,
      slowestOutageAnswerMs: Math.max(0, ...during.map(ms)),
      healthNotServingAfterMs: notServingMs,
      healthServingAfterRestartMs: servingMs,
      restartToFirst200Ms: recoveredAt - restartedAt,
      readableAfterHealthMs: readableMs,
      before: tally(before),
      during: tally(during),
      transition: tally(transition),
      after: tally(after),
      acknowledgedKeys: stream.acknowledgedKeys,
    });

    expect(tally(before)).toEqual({ 200: before.length });
    expect(during.length).toBeGreaterThan(10);
    expect(tally(during)).toEqual({ '503 session_service_unavailable': during.length });
    expect(during.filter((o) => ms(o) > DEADLINE_MS + MARGIN_MS)).toEqual([]);
    // Whatever the moment, never an internal error or a hang: only success or "unavailable".
    expect(stream.outcomes.filter((o) => o.status !== 200 && o.code !== 'session_service_unavailable')).toEqual([]);
    expect(readyz).toMatchObject({ status: 503, code: 'session_service_unavailable' });
    expect(aliveDuringOutage).toEqual({ service: true, gateway: true });

    expect(servingMs).toBeLessThan(5_000);
    expect(recoveredAt - restartedAt).toBeLessThan(10_000);
    expect(after.length).toBeGreaterThan(10);
    expect(tally(after)).toEqual({ 200: after.length });
    expect(readyAfter.status).toBe(200);
    expect({ service: isRunning(service.process.child), gateway: isRunning(gateway.process.child) }).toEqual({ service: true, gateway: true });

    expect(stream.acknowledgedKeys).toBeGreaterThan(0);
    expect(stream.lostWrites(stored)).toEqual([]);
  });
});
