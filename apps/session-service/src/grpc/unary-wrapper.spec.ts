import * as grpc from '@grpc/grpc-js';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { InternalError, ServiceUnavailableError, SessionExpiredError, VersionConflictError } from '../domain/errors';
import { createLogger } from '../observability/logger';
import { ServiceMetrics } from '../observability/metrics';
import { createRpcWrapper, type RpcHandler } from './unary-wrapper';

function setup() {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (l: string) => void lines.push(l) });
  const metrics = new ServiceMetrics();
  const wrap = createRpcWrapper({ logger, metrics });
  const invoke = <Res>(handler: RpcHandler<{ x: number }, Res>, options: { deadline?: grpc.Deadline; requestId?: string } = {}) =>
    new Promise<{ err: Partial<grpc.StatusObject> | null; value?: Res }>((resolve) => {
      const metadata = new grpc.Metadata();
      if (options.requestId) metadata.set('x-request-id', options.requestId);
      const call = { request: { x: 1 }, metadata, getDeadline: () => options.deadline ?? Infinity } as unknown as grpc.ServerUnaryCall<
        { x: number },
        Res
      >;
      wrap('Test', handler)(call, (err, value) => resolve({ err: err as Partial<grpc.StatusObject> | null, value: value ?? undefined }));
    });
  return { lines, metrics, invoke, logs: () => lines.join('') };
}

const errorCode = (err: Partial<grpc.StatusObject> | null) => err?.metadata?.get('x-error-code')[0];

describe('the unary wrapper', () => {
  it('answers the handler result and counts it', async () => {
    const { invoke, metrics, logs } = setup();
    const res = await invoke(async (req, ctx) => ({ got: req.x, requestId: ctx.requestId }), { requestId: 'r-1' });
    expect(res).toEqual({ err: null, value: { got: 1, requestId: 'r-1' } });
    expect(await metrics.registry.getSingleMetricAsString('grpc_server_handled_total')).toContain(
      'grpc_server_handled_total{method="Test",code="OK"} 1',
    );
    expect(logs()).toContain('"requestId":"r-1"');
  });

  it('turns a domain error into its status and x-error-code, and counts rejected tokens by reason', async () => {
    const { invoke, metrics } = setup();
    const res = await invoke(async () => {
      throw new SessionExpiredError();
    });
    expect(res.err).toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: 'the session has expired' });
    expect(errorCode(res.err)).toBe('session_expired');
    expect(await metrics.registry.getSingleMetricAsString('sessions_rejected_total')).toContain('reason="session_expired"} 1');
    const conflict = await invoke(async () => {
      throw new VersionConflictError();
    });
    expect(conflict.err?.code).toBe(grpc.status.ABORTED);
  });

  it('refuses a call whose deadline has passed without running the handler', async () => {
    const { invoke } = setup();
    const handler = jest.fn(async () => 'ran');
    const past = await invoke(handler, { deadline: new Date(Date.now() - 1) });
    expect(handler).not.toHaveBeenCalled();
    expect(past.err?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(errorCode(past.err)).toBe('timeout');
    expect((await invoke(handler, { deadline: Date.now() + 60_000 })).value).toBe('ran');
  });

  it('hides the driver errors the repository classified: network trouble is UNAVAILABLE, a server error INTERNAL', async () => {
    const { invoke, logs } = setup();
    const down = await invoke(async () => {
      throw new ServiceUnavailableError(undefined, { cause: new MongoNetworkError('connect ECONNREFUSED 10.1.2.3:27017') });
    });
    expect(down.err).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(errorCode(down.err)).toBe('session_service_unavailable');
    expect(down.err?.details).not.toContain('ECONNREFUSED');
    const broken = await invoke(async () => {
      throw new InternalError(undefined, { cause: new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }) });
    });
    expect(broken.err).toMatchObject({ code: grpc.status.INTERNAL, details: 'internal error' });
    expect(errorCode(broken.err)).toBe('internal');
    expect(logs()).toContain('E11000'); // the details stay in our logs
    expect(logs()).toContain('ECONNREFUSED');
  });

  it('reports any other thrown value as INTERNAL', async () => {
    const { invoke } = setup();
    const res = await invoke(async () => {
      throw new TypeError('x is undefined');
    });
    expect(res.err).toMatchObject({ code: grpc.status.INTERNAL, details: 'internal error' });
  });

  it('logs, and does not crash, when answering itself fails', async () => {
    const { logs } = setup();
    const lines: string[] = [];
    const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
    const wrap = createRpcWrapper({ logger, metrics: new ServiceMetrics() });
    const call = { request: {}, metadata: new grpc.Metadata(), getDeadline: () => Infinity } as unknown as grpc.ServerUnaryCall<
      object,
      string
    >;
    wrap('Test', async () => 'value')(call, () => {
      throw new Error('stream already closed');
    });
    await new Promise((r) => setImmediate(r));
    expect(lines.join('')).toContain('rpc answer failed');
    expect(logs()).toBe('');
  });
});
