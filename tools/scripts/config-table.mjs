// Prints the README's configuration tables (markdown) from the env schemas in
// libs/config, so the documentation is generated from the code that validates
// the variables: `node tools/scripts/config-table.mjs`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles libs/config in memory (Node 20 cannot load TypeScript) and returns its exports. */
async function loadConfigLib() {
  const result = await build({
    entryPoints: [join(root, 'libs', 'config', 'src', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  const require = createRequire(pathToFileURL(join(root, 'libs', 'config', 'src', 'index.ts')));
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}

const cell = (text) => String(text).replace(/\|/g, '\\|');

function defaultOf(spec) {
  if (!('default' in spec)) return '_unset_';
  if (spec.default === '') return '_empty_';
  return `\`${spec.default}\``;
}

function typeOf(spec, durationPattern) {
  if (spec.enum) return spec.enum.map((v) => `\`${v}\``).join(', ');
  if (spec.pattern === durationPattern) return 'duration (`90s`, `15m`, `24h`, `7d`)';
  if (spec.type === 'integer' && 'minimum' in spec) return `integer ${spec.minimum}-${spec.maximum}`;
  return spec.type;
}

function markdownTable(schema, durationPattern) {
  const rows = Object.entries(schema.properties).map(
    ([name, spec]) => `| \`${name}\` | ${defaultOf(spec)} | ${cell(typeOf(spec, durationPattern))} | ${cell(spec.description ?? '')} |`,
  );
  return ['| variable | default | type | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export async function configTables() {
  const { sessionServiceEnvSchema, accountsServiceEnvSchema, gatewayEnvSchema, DURATION_PATTERN } = await loadConfigLib();
  return [
    '### Session service (`apps/session-service`)',
    '',
    markdownTable(sessionServiceEnvSchema, DURATION_PATTERN),
    '',
    '### Accounts service (`apps/accounts-service`)',
    '',
    markdownTable(accountsServiceEnvSchema, DURATION_PATTERN),
    '',
    '### Gateway (`apps/gateway`)',
    '',
    markdownTable(gatewayEnvSchema, DURATION_PATTERN),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await configTables());
}
