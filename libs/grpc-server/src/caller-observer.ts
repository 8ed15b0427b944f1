import * as grpc from '@grpc/grpc-js';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { CallerDecision } from './caller-auth';

/**
 * Logs refused calls (caller name and peer, never the key) and counts every
 * decision per caller. Labels stay bounded: callers come from the
 * configuration, methods from the registered services, "unknown" for a
 * missing or wrong key.
 */
export function observeCallerDecisions(logger: Logger, registry: Registry): (decision: CallerDecision, rpc: string, peer: string) => void {
  const calls = new Counter({
    name: 'grpc_server_caller_calls_total',
    help: 'Calls by authenticated caller and method; outcome is ok, unauthenticated or permission_denied',
    labelNames: ['caller', 'method', 'outcome'],
    registers: [registry],
  });
  return (decision, rpc, peer) => {
    if (decision.ok) {
      calls.labels(decision.caller, rpc, 'ok').inc();
      return;
    }
    const outcome = decision.code === grpc.status.PERMISSION_DENIED ? 'permission_denied' : 'unauthenticated';
    calls.labels(decision.caller ?? 'unknown', rpc, outcome).inc();
    logger.warn(
      { caller: decision.caller ?? 'unknown', method: rpc, peer, code: grpc.status[decision.code] },
      `rpc refused: ${decision.details}`,
    );
  };
}
