/** The parts of a V8 .cpuprofile (node --cpu-prof) that self time needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the non-idle time. */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  /** The same self time grouped by npm package, Node internals or the app's own code. */
  packages: SelfTime[];
}

/** `…/node_modules/@grpc/grpc-js/build/src/x.js` -> `@grpc/grpc-js`; node:internal -> `node`; the rest is the app. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'node (native)';
  if (url.startsWith('node:')) return 'node';
  const at = url.lastIndexOf('node_modules/');
  if (at < 0) return 'app code';
  const parts = url.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

function shortLocation(url: string, line: number): string {
  if (!url) return '';
  const at = url.lastIndexOf('node_modules/');
  const path = at >= 0 ? url.slice(at + 'node_modules/'.length) : url.replace(/^file:\/\//, '').replace(/^.*\/dist\//, 'dist/');
  return ` ${path}:${line + 1}`;
}

function top(totals: Map<string, number>, busyMs: number, limit: number): SelfTime[] {
  return [...totals.entries()]
    .map(([name, ms]) => ({ name, ms, percent: (100 * ms) / busyMs }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

/** Self time per function and per package, from the samples and their time deltas. */
export function summarizeProfile(profile: CpuProfile, limit = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time since the previous sample; it belongs to sample i.
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id);
    if (!frame || frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    busyUs += us;
    const name = `${frame.functionName || '(anonymous)'}${shortLocation(frame.url, frame.lineNumber)}`;
    functions.set(name, (functions.get(name) ?? 0) + us / 1_000);
    const pkg = packageOf(frame.url, frame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us / 1_000);
  });
  const busyMs = busyUs / 1_000;
  return { busyMs, idleMs: idleUs / 1_000, functions: top(functions, busyMs, limit), packages: top(packages, busyMs, limit) };
}

export function renderSummary(title: string, s: ProfileSummary): string {
  const rows = (items: SelfTime[]) => items.map((e) => `| ${e.percent.toFixed(1)}% | ${e.ms.toFixed(0)} ms | \`${e.name}\` |`);
  return [
    `### ${title}: ${(s.busyMs / 1_000).toFixed(1)} s busy, ${(s.idleMs / 1_000).toFixed(1)} s idle`,
    '',
    '| self | time | function |',
    '|---|---|---|',
    ...rows(s.functions),
    '',
    '| self | time | package |',
    '|---|---|---|',
    ...rows(s.packages),
    '',
  ].join('\n');
}
