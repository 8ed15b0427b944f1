import { parseBenchOptions } from './bench-options';

describe('parseBenchOptions', () => {
  it('defaults to the full run: 10k live sessions, 1M stored, 10 s phases', () => {
    expect(parseBenchOptions([], {})).toMatchObject({
      liveSessions: 10_000,
      scaleSessions: 1_000_000,
      phaseS: 10,
      fixedRate: 1_000,
      quick: false,
    });
  });

  it.each([[['--quick']], [['--quick=true']]])('%j makes a quick run', (argv) => {
    expect(parseBenchOptions(argv, {})).toMatchObject({ scaleSessions: 100_000, phaseS: 5, quick: true });
  });

  it('takes BENCH_SCALE with digit separators, over --quick', () => {
    expect(parseBenchOptions(['--quick'], { BENCH_SCALE: '250_000' }).scaleSessions).toBe(250_000);
  });

  it('rejects a scale that is not a positive integer', () => {
    expect(() => parseBenchOptions([], { BENCH_SCALE: '1e6x' })).toThrow(/BENCH_SCALE/);
    expect(() => parseBenchOptions([], { BENCH_PHASE_SECONDS: '0' })).toThrow(/BENCH_PHASE_SECONDS/);
  });

  it('takes the memory phase budget from BENCH_FILL_BUDGET_SECONDS, else 720 s (300 s quick)', () => {
    expect(parseBenchOptions([], {}).fillBudgetS).toBe(720);
    expect(parseBenchOptions(['--quick'], {}).fillBudgetS).toBe(300);
    expect(parseBenchOptions(['--quick'], { BENCH_FILL_BUDGET_SECONDS: '45' }).fillBudgetS).toBe(45);
    expect(() => parseBenchOptions([], { BENCH_FILL_BUDGET_SECONDS: '-1' })).toThrow(/BENCH_FILL_BUDGET_SECONDS/);
  });
});
