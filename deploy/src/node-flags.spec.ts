import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@session/testing';
import { parseDockerfile } from './dockerfile';

// deploy/node-flags.json is the one list of V8 heap flags per service (docs/runtime-memory.md); the bench
// reads it directly, and every other launch must carry the same flags.
const root = workspaceRoot();
const flags = JSON.parse(readFileSync(join(root, 'deploy', 'node-flags.json'), 'utf8')) as Record<string, string[]>;
const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));

describe.each(Object.keys(flags))('%s node flags', (service) => {
  it('are heap-size flags of V8 only (nothing that changes what the code does)', () => {
    expect(flags[service].length).toBeGreaterThan(0);
    for (const flag of flags[service]) expect(flag).toMatch(/^--max-(semi|old)-space-size=\d+$/);
  });

  it("are the image's command line, before the entry point", () => {
    const cmd = stages
      .find((s) => s.name === service)
      ?.instructions.filter((i) => i.keyword === 'CMD')
      .at(-1);
    expect(cmd && JSON.parse(cmd.args)).toEqual(['node', ...flags[service], '.']);
  });

  it("are `npm start`'s (the Nx serve target's command)", () => {
    const project = JSON.parse(readFileSync(join(root, 'apps', service, 'project.json'), 'utf8'));
    expect(project.targets.serve.options.command).toBe(`node ${flags[service].join(' ')} dist/apps/${service}/main.js`);
  });
});
