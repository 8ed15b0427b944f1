import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';

type Input = string | { runtime?: string; [key: string]: unknown };
interface Target {
  cache?: boolean;
  inputs?: Input[];
}
interface ProjectNode {
  data: { namedInputs?: Record<string, Input[]>; targets?: Record<string, Target> };
}

// What makes Nx hash the Node.js version into a task: a different Node must re-run the task, not replay its cache.
const NODE_VERSION_INPUT = { runtime: 'node --version' };

// Cached targets whose result is the same on every Node.js version, so a Node upgrade need not redo them.
const NODE_INDEPENDENT: Record<string, string> = {
  'go-tools:build': 'Go binaries built by the Go toolchain',
  'embedded-db:build': 'a Go binary built by the Go toolchain',
  'proto:codegen': 'TypeScript text generated from the .proto, the same on every Node.js',
};

const root = workspaceRoot();
const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as { namedInputs: Record<string, Input[]> };

/** The project graph as Nx resolves it (project.json, target defaults and the plugins' inferred targets). */
function projectGraph(): Record<string, ProjectNode> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-graph-'));
  try {
    const file = join(dir, 'graph.json');
    const run = spawnSync(join(root, 'node_modules', '.bin', 'nx'), ['graph', `--file=${file}`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (run.status !== 0) throw new Error(`nx graph failed:\n${run.stdout}${run.stderr}`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { graph: { nodes: Record<string, ProjectNode> } }).graph.nodes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The target's own inputs with named inputs expanded (inputs of dependencies, `^name`, are theirs to carry). */
function ownInputs(project: ProjectNode, target: Target, seen = new Set<string>()): Input[] {
  const named = { ...nxJson.namedInputs, ...project.data.namedInputs };
  // Nx's default when a target names no inputs: every file of the project and sharedGlobals, via "default".
  const inputs = target.inputs ?? ['default'];
  return inputs.flatMap((input) => {
    if (typeof input !== 'string' || input.startsWith('^') || input.includes('{') || input.startsWith('!')) return [input];
    if (seen.has(input) || !named[input]) return [];
    seen.add(input);
    return ownInputs(project, { inputs: named[input] }, seen);
  });
}

const graph = projectGraph();
const cachedTargets = Object.entries(graph).flatMap(([name, project]) =>
  Object.entries(project.data.targets ?? {})
    .filter(([, target]) => target.cache)
    .map(([target, config]) => ({ id: `${name}:${target}`, project, config })),
);

describe('Nx cache and the Node.js version', () => {
  it('puts the Node.js version into sharedGlobals, which every default input includes', () => {
    expect(nxJson.namedInputs['sharedGlobals']).toContainEqual(NODE_VERSION_INPUT);
  });

  it('re-runs every cached target that runs on Node.js under a different Node.js version', () => {
    const missing = cachedTargets.filter(
      (t) =>
        !(t.id in NODE_INDEPENDENT) &&
        !ownInputs(t.project, t.config).some((i) => typeof i === 'object' && i.runtime === NODE_VERSION_INPUT.runtime),
    );
    expect(cachedTargets.length).toBeGreaterThan(20);
    expect(missing.map((t) => t.id)).toEqual([]);
  });

  it('names as Node-independent only cached targets that exist', () => {
    const ids = cachedTargets.map((t) => t.id);
    expect(Object.keys(NODE_INDEPENDENT).filter((id) => !ids.includes(id))).toEqual([]);
  });
});
