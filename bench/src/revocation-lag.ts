import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { gatewayEnvSchema } from '@session/config';
import { createSessionClient, SessionApi } from '@session/grpc-client';
import { jsonToStruct } from '@session/proto';
import type { BenchStack } from './bench-stack';
import { summarize, type Distribution } from './distribution';
import { BENCH_USER_DATA } from './seed-sessions';

/** How a trial ends the session; trials rotate through them in this order. */
export const REVOKE_METHODS = [
  'REST logout via gateway 1',
  'REST logout via gateway 2',
  'gRPC RevokeSession',
  'gRPC RevokeUserSessions',
  'gRPC BindUser rotation',
] as const;
export type RevokeMethod = (typeof REVOKE_METHODS)[number];

/** GETs per gateway before the revocation, so a near cache holds the session on both. */
const WARM_GETS = 3;
/** A gateway still serving the token after this long ends the trial's polling (bounded phase); counted as this lag and a failure. */
export const POLL_LIMIT_MS = 5_000;

export interface GatewayLag {
  gateway: 1 | 2;
  /** From the revoke call's answer to the first 401 answer. */
  fromReturnMs: number;
  /** From the revoke call being sent to the first 401 answer. */
  fromSentMs: number;
  timedOut: boolean;
  polls: number;
}

export interface LagTrial {
  method: RevokeMethod;
  /** The replica the trial's gRPC calls (create, bind, revoke) went to. */
  replica: 1 | 2;
  lags: GatewayLag[];
}

export interface RevocationFigures {
  /** How the gateways reach the two replicas. */
  routing: string;
  trials: LagTrial[];
  fromReturn: Distribution;
  fromSent: Distribution;
  /** Per method, the worst lag from the revoke's answer. */
  worstByMethod: Record<string, number>;
  timeouts: number;
  /** Trials that could not run as planned (warm-up not 200, revoke refused), first few. */
  problems: string[];
}

export function methodForTrial(trial: number): RevokeMethod {
  return REVOKE_METHODS[trial % REVOKE_METHODS.length];
}

async function getStatus(gatewayUrl: string, token: string): Promise<number> {
  const res = await fetch(`${gatewayUrl}/api/sessions/current`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** Back-to-back GETs (one in flight) until the gateway answers 401; the time of that answer. */
async function pollUntilRefused(
  gatewayUrl: string,
  token: string,
  deadline: number,
): Promise<{ at: number; timedOut: boolean; polls: number }> {
  let polls = 0;
  while (performance.now() < deadline) {
    const status = await getStatus(gatewayUrl, token);
    polls++;
    if (status === 401) return { at: performance.now(), timedOut: false, polls };
  }
  return { at: deadline, timedOut: true, polls };
}

/**
 * The gateways' SESSION_SERVICE_URL: one `ipv4:` list of both replicas with
 * round robin when the gateway's configuration accepts such a list, else each
 * gateway pinned to one replica (gateway n -> replica n), which still makes
 * every revocation through the other replica reach it only through its feed.
 */
function routing(replica1: string, replica2: string): { urls: [string, string]; env: Record<string, string>; label: string } {
  const list = `ipv4:${replica1},${replica2}`;
  if (new RegExp(gatewayEnvSchema.properties.SESSION_SERVICE_URL.pattern).test(list)) {
    return { urls: [list, list], env: { GRPC_LOAD_BALANCING: 'round_robin' }, label: `both gateways on ${list}, round robin` };
  }
  return {
    urls: [replica1, replica2],
    env: {},
    label: 'gateway n pinned to replica n (the gateway does not accept an ipv4: list in SESSION_SERVICE_URL)',
  };
}

interface TrialContext {
  apis: [SessionApi, SessionApi];
  gateways: [string, string];
}

/** One trial: create, (bind), warm on both gateways, revoke, poll both until refused. */
async function runTrial(t: number, ctx: TrialContext, problems: string[]): Promise<LagTrial | undefined> {
  const method = methodForTrial(t);
  const replica = ((t % 2) + 1) as 1 | 2;
  const api = ctx.apis[replica - 1];
  const userId = `bench-revocation-${randomUUID()}`;
  const created = await api.createSession({ user_data: jsonToStruct(BENCH_USER_DATA) });
  let token = created.token;
  if (method === 'gRPC RevokeUserSessions') token = (await api.bindUser({ token, user_id: userId })).token;
  for (const gw of ctx.gateways) {
    for (let k = 0; k < WARM_GETS; k++) {
      const status = await getStatus(gw, token);
      if (status !== 200) {
        problems.push(`trial ${t + 1} (${method}): warm-up GET answered ${status}`);
        return undefined;
      }
    }
  }
  const sent = performance.now();
  const outcome = await revoke(method, token, created.session?.session_id ?? '', userId, api, ctx.gateways);
  const returned = performance.now();
  if (outcome !== 'ok') {
    problems.push(`trial ${t + 1} (${method}): ${outcome}`);
    return undefined;
  }
  const deadline = returned + POLL_LIMIT_MS;
  const refused = await Promise.all(ctx.gateways.map((gw) => pollUntilRefused(gw, token, deadline)));
  return {
    method,
    replica,
    lags: refused.map((r, i) => ({
      gateway: (i + 1) as 1 | 2,
      fromReturnMs: r.at - returned,
      fromSentMs: r.at - sent,
      timedOut: r.timedOut,
      polls: r.polls,
    })),
  };
}

async function revoke(
  method: RevokeMethod,
  token: string,
  sessionId: string,
  userId: string,
  api: SessionApi,
  gateways: [string, string],
): Promise<string> {
  switch (method) {
    case 'REST logout via gateway 1':
    case 'REST logout via gateway 2': {
      const gw = gateways[method.endsWith('1') ? 0 : 1];
      const res = await fetch(`${gw}/api/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return res.status === 204 ? 'ok' : `logout answered ${res.status}`;
    }
    case 'gRPC RevokeSession':
      return (await api.revokeSession({ session_id: sessionId })).revoked ? 'ok' : 'RevokeSession revoked nothing';
    case 'gRPC RevokeUserSessions':
      return Number((await api.revokeUserSessions({ user_id: userId })).revoked_count) >= 1 ? 'ok' : 'RevokeUserSessions revoked nothing';
    case 'gRPC BindUser rotation':
      return (await api.bindUser({ token, user_id: userId })).token !== token ? 'ok' : 'BindUser kept the token';
  }
}

/**
 * The revocation phase: a second session-service replica on the same
 * database and two fresh gateways in front of both, `trials` sessions revoked
 * one way after another (REVOKE_METHODS), each polled on both gateways until
 * refused. The extra processes are stopped at the end.
 */
export async function measureRevocationLag(stack: BenchStack, trials: number): Promise<RevocationFigures> {
  const replica2 = await stack.addSessionService('session service replica 2');
  const replicas: [string, string] = [stack.service.address, replica2.address];
  const route = routing(...replicas);
  // SESSION_FEED_TARGETS: the near cache's feed subscriptions (both replicas); a gateway without the cache ignores it.
  const env = { ...route.env, SESSION_FEED_TARGETS: replicas.join(',') };
  const gateways = [
    await stack.addGateway('revocation gateway 1', route.urls[0], { env }),
    await stack.addGateway('revocation gateway 2', route.urls[1], { env }),
  ];
  const apis: [SessionApi, SessionApi] = [
    new SessionApi(createSessionClient({ address: replicas[0] })),
    new SessionApi(createSessionClient({ address: replicas[1] })),
  ];
  const problems: string[] = [];
  const done: LagTrial[] = [];
  try {
    for (let t = 0; t < trials; t++) {
      // A failed call (e.g. UNAVAILABLE on a loaded machine) spoils that trial only; it is reported and fails the row.
      const trial = await runTrial(t, { apis, gateways: [gateways[0].url, gateways[1].url] }, problems).catch((err: unknown) => {
        problems.push(`trial ${t + 1} (${methodForTrial(t)}): ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
      if (trial) done.push(trial);
    }
  } finally {
    for (const api of apis) api.close();
    await stack.stopExtra(...gateways, replica2);
  }
  const lags = done.flatMap((t) => t.lags.map((l) => ({ ...l, method: t.method })));
  const worstByMethod: Record<string, number> = {};
  for (const l of lags) worstByMethod[l.method] = Math.max(worstByMethod[l.method] ?? 0, l.fromReturnMs);
  return {
    routing: route.label,
    trials: done,
    fromReturn: summarize(lags.map((l) => l.fromReturnMs)),
    fromSent: summarize(lags.map((l) => l.fromSentMs)),
    worstByMethod,
    timeouts: lags.filter((l) => l.timedOut).length,
    problems: problems.slice(0, 3),
  };
}
