// Shared Jest settings: swc for speed (the typecheck target does the type
// checking), and tsconfig path aliases mapped to library sources.
const { join } = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // cookie 2.x and some fastify deps ship ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(cookie)/)'],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json'],
  testMatch: ['**/?(*.)+(spec|integration-spec).[jt]s?(x)'],
  // Per-project pass/fail counts for the workspace test summary (npm test).
  reporters: ['default', require.resolve('./tools/jest/summary-reporter.js')],
};
