import * as grpc from '@grpc/grpc-js';
import { ServiceUnavailableError, SessionStoreTimeoutError } from '../domain/errors';
import { createLogger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';
import { ANSWER_MARGIN_MS, answerWithinMs, createRpcWrapper, type RpcHandler } from './unary-wrapper';

/** Calls a wrapped handler and records every answer it gives (there must be exactly one). */
function setup() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
  const metrics = new ServiceMetrics();
  const wrap = createRpcWrapper({ logger, metrics });
  const call = <Res>(handler: RpcHandler<object, Res>, deadline: grpc.Deadline, callback?: grpc.sendUnaryData<Res>) => {
    const answers: { err: Partial<grpc.StatusObject> | null; value?: Res; at: number }[] = [];
    const first = new Promise<(typeof answers)[number]>((resolve) => {
      const grpcCall = { request: {}, metadata: new grpc.Metadata(), getDeadline: () => deadline } as unknown as grpc.ServerUnaryCall<
        object,
        Res
      >;
      wrap('Test', handler)(grpcCall, (err, value) => {
        const answer = { err: err as Partial<grpc.StatusObject> | null, value: value ?? undefined, at: Date.now() };
        answers.push(answer);
        resolve(answer);
        callback?.(err, value);
      });
    });
    return { answers, first };
  };
  return { call, metrics, logs: () => lines.join('') };
}

describe('answerWithinMs', () => {
  it('keeps back the margin, or a fifth of a short time, and has no limit without a deadline', () => {
    expect(answerWithinMs(Infinity, 1_000)).toBeUndefined();
    expect(answerWithinMs(1_000 + 2_000, 1_000)).toBe(2_000 - ANSWER_MARGIN_MS);
    expect(answerWithinMs(1_000 + 100, 1_000)).toBe(80);
    expect(answerWithinMs(1_000, 1_000)).toBe(0);
  });
});

describe('SessionStoreTimeoutError', () => {
  it('is a service-unavailable error with its own sentence', () => {
    const error = new SessionStoreTimeoutError();
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ name: 'SessionStoreTimeoutError', reason: 'unavailable' });
    expect(error.message).toBe('the session store did not answer in time, retry later');
  });
});

describe('the unary wrapper before the deadline', () => {
  it('answers UNAVAILABLE before the deadline when the handler is still waiting (e.g. on a lock or the database)', async () => {
    const { call, metrics, logs } = setup();
    const started = Date.now();
    const { first } = call(() => new Promise(() => undefined), started + 500);
    const answer = await first;
    expect(answer.err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'the session store did not answer in time, retry later' });
    expect(answer.err?.metadata?.get('x-error-code')).toEqual(['session_service_unavailable']);
    expect(answer.at - started).toBeGreaterThanOrEqual(500 - ANSWER_MARGIN_MS - 5);
    expect(answer.at - started).toBeLessThan(500);
    expect(await metrics.registry.getSingleMetricAsString('grpc_server_handled_total')).toContain('code="UNAVAILABLE"} 1');
    expect(logs()).toContain('rpc failed: database unavailable');
  });
});

// Proving that nothing happens after the answer needs time to pass: fake timers let it pass at
// once (a minute of it), instead of a real sleep that only covers a guessed few milliseconds.
describe('the unary wrapper after its answer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('drops the handler result or failure that comes after that answer', async () => {
    const { call } = setup();
    let finish!: (value: string) => void;
    const late = call(() => new Promise<string>((resolve) => (finish = resolve)), Date.now() + 100);
    let fail!: (err: Error) => void;
    const lateFailure = call(() => new Promise<string>((_, reject) => (fail = reject)), Date.now() + 100);
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([late.first, lateFailure.first]);
    finish('too late');
    fail(new Error('boom'));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(late.answers).toHaveLength(1);
    expect(lateFailure.answers).toHaveLength(1);
    expect(late.answers[0].err?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('answers a handler that finishes in time once, and never times it out afterwards', async () => {
    const { call } = setup();
    const quick = call(async () => 'done', Date.now() + 60);
    expect((await quick.first).value).toBe('done');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(quick.answers).toHaveLength(1);
  });

  it('logs, and does not crash, when answering at the deadline fails', async () => {
    const { call, logs } = setup();
    const { first } = call(
      () => new Promise(() => undefined),
      Date.now() + 50,
      () => {
        throw new Error('stream already closed');
      },
    );
    await jest.advanceTimersByTimeAsync(50);
    await first;
    expect(logs()).toContain('rpc answer failed');
  });
});
