export interface BenchOptions {
  /** Sessions minted through the service and rotated across requests. */
  liveSessions: number;
  /** Documents in user_sessions for the scale phase (5). */
  scaleSessions: number;
  /** Seconds per measured phase (saturation, fixed rate). */
  phaseS: number;
  /** Seconds of discarded load before each target's first phase (JIT, pools, caches). */
  warmupS: number;
  /** The fixed offered rate for latency figures. */
  fixedRate: number;
  /** Lower offered rates for (1) alone: where its latency knee is, below the target rate. */
  sweepRates: number[];
  /** HTTP connections, or gRPC / driver calls in flight, at saturation. */
  concurrency: number;
  /** gRPC clients the ValidateSession load spreads over. */
  channels: number;
  /** Seeding the scale phase stops after this many seconds, whatever the count. */
  seedBudgetS: number;
  /** Alternated saturation rounds of (1) and (4); the medians are compared. */
  abRounds: number;
  /** Revocation trials (8), rotating through the revoke methods. */
  revocationTrials: number;
  /** Near-cache size the memory phase (9) fills (the gateway's default SESSION_CACHE_MAX_ENTRIES). */
  cacheEntries: number;
  /** Each of the memory phase's two validation passes stops after this many seconds, whatever the count. */
  fillBudgetS: number;
  quick: boolean;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * `--quick` (also `--quick=true`, as Nx forwards it) or BENCH_QUICK=1 runs a
 * 100k scale phase with 5 s phases; BENCH_SCALE, BENCH_PHASE_SECONDS and
 * BENCH_SEED_BUDGET_SECONDS override single settings.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.some((a) => a === '--quick' || a === '--quick=true') || env.BENCH_QUICK === '1';
  return {
    liveSessions: positiveInt(env, 'BENCH_LIVE_SESSIONS', 10_000),
    scaleSessions: positiveInt(env, 'BENCH_SCALE', quick ? 100_000 : 1_000_000),
    phaseS: positiveInt(env, 'BENCH_PHASE_SECONDS', quick ? 5 : 10),
    warmupS: quick ? 2 : 3,
    fixedRate: 1_000,
    sweepRates: [250, 500, 750],
    concurrency: 32,
    channels: 4,
    seedBudgetS: positiveInt(env, 'BENCH_SEED_BUDGET_SECONDS', quick ? 120 : 330),
    abRounds: 3,
    revocationTrials: 20,
    cacheEntries: 100_000,
    // Every fill request is a miss (a database read and write): about 250/s on an idle 2-core machine, 135/s
    // under a load average of 12, so the 90,000 fill validations need 360-670 s; 300 s stopped at 50-76k entries.
    fillBudgetS: positiveInt(env, 'BENCH_FILL_BUDGET_SECONDS', quick ? 300 : 720),
    quick,
  };
}
