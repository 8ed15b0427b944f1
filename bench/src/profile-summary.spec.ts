import { packageOf, renderSummary, summarizeProfile, type CpuProfile } from './profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('serialize', 'file:///w/node_modules/@grpc/grpc-js/build/src/a.js', 9) },
    { id: 4, callFrame: frame('handle', 'file:///w/dist/apps/gateway/main.js', 41) },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('writeGeneric', 'node:internal/stream_base_commons', 3) },
  ],
  samples: [2, 3, 3, 4, 5, 6, 2],
  timeDeltas: [5_000, 1_000, 1_000, 1_000, 500, 500, 5_000],
};

describe('summarizeProfile', () => {
  const s = summarizeProfile(profile);

  it('splits idle from busy time using each sample time delta', () => {
    expect(s.idleMs).toBe(10);
    expect(s.busyMs).toBe(4);
  });

  it('ranks functions by self time with a short location', () => {
    expect(s.functions[0]).toEqual({ name: 'serialize @grpc/grpc-js/build/src/a.js:10', ms: 2, percent: 50 });
    expect(s.functions.map((f) => f.name)).toContain('handle dist/apps/gateway/main.js:42');
  });

  it('groups self time by package', () => {
    expect(Object.fromEntries(s.packages.map((p) => [p.name, p.percent]))).toEqual({
      '@grpc/grpc-js': 50,
      'app code': 25,
      '(garbage collector)': 12.5,
      node: 12.5,
    });
  });

  it('renders Markdown tables', () => {
    expect(renderSummary('gateway', s)).toContain('| 50.0% | 2 ms | `serialize @grpc/grpc-js/build/src/a.js:10` |');
  });
});

describe('packageOf', () => {
  it.each([
    ['file:///w/node_modules/fastify/lib/route.js', 'x', 'fastify'],
    ['file:///w/node_modules/a/node_modules/@b/c/i.js', 'x', '@b/c'],
    ['node:internal/http', 'x', 'node'],
    ['', 'JSONParse', 'node (native)'],
    ['', '(program)', '(program)'],
  ])('%s -> %s', (url, fn, expected) => expect(packageOf(url, fn)).toBe(expected));
});
