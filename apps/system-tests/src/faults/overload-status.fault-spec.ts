import { waitUntil } from '@session/testing';
import { freeze, thaw } from './support/freeze';
import { errorsLogged, logLines } from './support/process-log';
import { RequestStream, tally } from './support/request-stream';
import { createSession, readSession, type Outcome, type RestSession } from './support/rest-client';
import { startDb, startGatewayFor, startService } from './support/stack';
import { Teardown } from './support/teardown';
import { answersSince, isRunning, recordFigures, sleep } from './support/wait';

// Short, so that calls pass their deadline by the thousand and the gateway resets each one's stream.
const DEADLINE_MS = 250;
const WORKERS = 200;
const SESSIONS = 100;
const OVERLOAD_ANSWERS = 2 * WORKERS;
const FREEZE_MS = 3_000;
/** What each 5xx must be: something a client retries later, never "internal". */
const RETRY_LATER: Record<number, string> = { 503: 'session_service_unavailable', 504: 'timeout' };
/** grpc-js's wording when the connection or stream under a call was cut (as apps/gateway/src/errors/grpc-status-table.ts). */
const STREAM_CUT = /RST_STREAM|Session closed with error code/;

/**
 * The session service far past saturation, then frozen (SIGSTOP) under the same load and thawed:
 * thousands of calls pass the gateway's deadline and are reset, and the service's HTTP/2 server
 * answers the burst of resets by closing the connection (GOAWAY INTERNAL_ERROR), which cuts every
 * call still on it. The gateway used to answer those 500 internal; an overload must read as
 * "retry later" (503/504) to clients and as an outage, not a bug, in its log.
 */
describe('the session service overloaded and frozen under a burst of calls', () => {
  const teardown = new Teardown();
  const run = {} as {
    stream: RequestStream;
    overloaded: Outcome[];
    gatewayAlive: boolean;
    afterwards: Outcome | undefined;
    cutsLogged: number;
    requestsFailedAtError: number;
  };

  beforeAll(async () => {
    const { db, dbName } = await startDb(teardown);
    const service = await startService(teardown, db, dbName);
    // Sessions are made through a gateway with the default deadline: the short one would refuse them.
    const setup = await startGatewayFor(teardown, service.address);
    const gateway = await startGatewayFor(teardown, service.address, {
      GRPC_DEADLINE_MS: String(DEADLINE_MS),
      // Every worker is 127.0.0.1: the per-address token throttle would turn the overload into 429s.
      INVALID_TOKEN_LIMIT: '100000',
    });
    const sessions: RestSession[] = [];
    for (let i = 0; i < SESSIONS; i += 20) {
      sessions.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => createSession(setup.url, `overload-create-${i + j}`)))));
    }

    run.stream = new RequestStream({ baseUrl: gateway.url, sessions, workers: WORKERS, pauseMs: 1, label: 'overload' }).start();
    teardown.add(() => run.stream.stop());
    const started = Date.now();
    await answersSince(run.stream, OVERLOAD_ANSWERS, started);
    freeze(service.process.child.pid);
    // A duration, not a wait: the service stays frozen for FREEZE_MS under load.
    await sleep(FREEZE_MS);
    thaw(service.process.child.pid);
    const thawedAt = Date.now();
    await answersSince(run.stream, OVERLOAD_ANSWERS, thawedAt);
    await run.stream.stop();
    run.overloaded = run.stream.outcomes;
    run.gatewayAlive = isRunning(gateway.process.child);
    let probe = 0;
    run.afterwards = await waitUntil(
      async () => {
        const outcome = await readSession(gateway.url, sessions[0], `overload-after-${probe++}`);
        return outcome.status === 200 ? outcome : undefined;
      },
      { what: 'the gateway to answer 200 again after the overload', timeoutMs: 15_000 },
    ).catch(() => undefined);

    const lines = logLines(gateway.process.output()).filter((l) => l.msg === 'request failed');
    run.cutsLogged = lines.filter((l) => STREAM_CUT.test(String(l.reason ?? l.err?.message ?? ''))).length;
    run.requestsFailedAtError = lines.filter((l) => l.level >= 50).length;
    recordFigures('overload-status', {
      all: tally(run.overloaded),
      cutsLogged: run.cutsLogged,
      gatewayErrors: errorsLogged(gateway.process.output()),
      serviceErrors: errorsLogged(service.process.output()),
    });
  });
  afterAll(() => teardown.run());

  it('drove the service past saturation: many calls answered 503/504, and the transport cut calls', () => {
    const retryLater = run.overloaded.filter((o) => o.status !== undefined && RETRY_LATER[o.status] !== undefined);
    expect(retryLater.length).toBeGreaterThanOrEqual(WORKERS);
    // The condition that used to answer 500: without it this scenario proves nothing.
    expect(run.cutsLogged).toBeGreaterThan(0);
  });

  it('never answers 500: every 5xx is a problem+json 503 session_service_unavailable or 504 timeout', () => {
    const wrong = run.overloaded.filter((o) => o.status !== undefined && o.status >= 500 && o.code !== RETRY_LATER[o.status]);
    expect(tally(wrong)).toEqual({});
  });

  it('answers every request: no reset connection, no request left without an answer for 10 s', () => {
    expect(tally(run.overloaded.filter((o) => o.error !== undefined))).toEqual({});
  });

  it('logs the overload as an outage (warn), never as a failed request at error level', () => {
    expect(run.requestsFailedAtError).toBe(0);
  });

  it('keeps running and answers 200 again once the load stops', () => {
    expect(run.gatewayAlive).toBe(true);
    expect(run.afterwards?.status).toBe(200);
  });
});
