import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsServiceEnvSchema, gatewayEnvSchema, sessionServiceEnvSchema } from '@session/config';
import { workspaceRoot } from '@session/testing';

const root = workspaceRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The text under a markdown heading, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

const rowNames = (markdown: string) => [...markdown.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);

describe('README configuration tables', () => {
  const configuration = section(readme, '## Configuration');

  it.each([
    ['### Session service (`apps/session-service`)', sessionServiceEnvSchema],
    ['### Accounts service (`apps/accounts-service`)', accountsServiceEnvSchema],
    ['### Gateway (`apps/gateway`)', gatewayEnvSchema],
  ] as const)('"%s" has a row for every variable of the schema', (heading, schema) => {
    const rows = rowNames(section(configuration, heading));
    expect(rows).toEqual(Object.keys(schema.properties));
  });

  it('is exactly what tools/scripts/config-table.mjs prints (defaults and meanings included)', () => {
    const generated = execFileSync(process.execPath, [join(root, 'tools', 'scripts', 'config-table.mjs')], { cwd: root, encoding: 'utf8' });
    expect(generated).toContain('| `MONGODB_URI` |');
    expect(configuration).toContain(generated.trim());
  });
});

describe('README first screen', () => {
  it('gives exactly the two set-up commands in its first code block', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block.trim().split('\n')).toEqual(['npm ci && npm start', 'npm test']);
  });
});
