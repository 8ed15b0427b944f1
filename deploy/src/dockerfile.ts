export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** Splits a Dockerfile into build stages (enough of the syntax for checks: continuations, comments, FROM ... AS name). */
export function parseDockerfile(text: string): Stage[] {
  const logicalLines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of logicalLines) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from: image, name, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') });
    }
  }
  return stages;
}

/** Sources of `COPY` instructions that read the build context (not `--from` another stage). */
export function contextCopySources(stage: Stage): string[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) => {
      const parts = i.args.split(' ').filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1);
    });
}

/** Stage names that `stage` builds on: its FROM and its `COPY --from` sources, where they name stages rather than images. */
function stageDependencies(stage: Stage, names: ReadonlySet<string>): string[] {
  const copiedFrom = stage.instructions.map((i) => (i.keyword === 'COPY' ? /--from=(\S+)/.exec(i.args)?.[1] : undefined));
  return [stage.from, ...copiedFrom].filter((name): name is string => name !== undefined && names.has(name));
}

/** The stages Docker builds for `docker build --target <target>`: the target and what it builds on, dependencies first. */
export function stagesForTarget(stages: readonly Stage[], target: string): Stage[] {
  const names = new Set(stages.flatMap((s) => (s.name ? [s.name] : [])));
  const built: Stage[] = [];
  const visit = (name: string): void => {
    const stage = stages.find((s) => s.name === name);
    if (!stage) throw new Error(`the Dockerfile has no stage named ${name}`);
    if (built.includes(stage)) return;
    for (const dependency of stageDependencies(stage, names)) visit(dependency);
    built.push(stage);
  };
  visit(target);
  return built;
}
