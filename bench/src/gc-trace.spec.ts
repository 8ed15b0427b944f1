import { formatGcPauses, gcPauses } from './gc-trace';

const trace = [
  '[9:0x6a8c000]     4021 ms: Scavenge 40.1 (52.3) -> 25.0 (52.3) MB, 1.52 / 0.00 ms  (average mu = 0.991, current mu = 0.990) allocation failure;',
  '[9:0x6a8c000]     4100 ms: Scavenge 41.0 (52.3) -> 25.2 (52.3) MB, 3.48 / 0.00 ms  (average mu = 0.991, current mu = 0.990) allocation failure;',
  '{"level":40,"msg":"unrelated log line, 3 ms: nothing"}',
  '[9:0x6a8c000]     9000 ms: Mark-Compact 90.2 (120.0) -> 50.1 (100.0) MB, 21.07 / 0.10 ms  (+ 12.0 ms in 80 steps since start of marking, biggest step 1.0 ms) finalize incremental marking via task;',
  '[9:0x6a8c000]     9900 ms: Mark-Compact (reduce) 50.1 (100.0) -> 49.0 (60.0) MB, 4.00 / 0.00 ms  (average mu = 0.98) memory reducer;',
].join('\n');

describe('gcPauses', () => {
  it('counts, sums and takes the longest pause per kind, ignoring other lines', () => {
    const p = gcPauses(trace);
    expect(p.Scavenge).toEqual({ count: 2, totalMs: 5, maxMs: 3.48 });
    expect(p['Mark-Compact']).toEqual({ count: 1, totalMs: 21.07, maxMs: 21.07 });
    expect(p['Mark-Compact (reduce)']).toEqual({ count: 1, totalMs: 4, maxMs: 4 });
    expect(Object.keys(p)).toHaveLength(3);
  });

  it('says so when there was no trace', () => {
    expect(formatGcPauses(gcPauses('no trace here'))).toBe('no GC trace');
    expect(formatGcPauses(gcPauses(trace))).toContain('Scavenge 2 x, total 5 ms, longest 3.5 ms');
  });
});
