const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/**/*.spec.ts', '!src/**/*.integration-spec.ts', '!src/testing/**'],
  // Enforced on every `nx run gateway:test` (project.json turns coverage on); main.ts is
  // process wiring, covered by the specs that spawn the built bundle.
  coverageThreshold: { global: { lines: 95, branches: 95 } },
  // @fastify/cookie loads the ESM-only cookie 2.x with import(), which Jest's CommonJS runtime
  // refuses; transforming both turns that import into a require.
  transformIgnorePatterns: ['^(?!.*/node_modules/(cookie|@fastify/cookie|content-disposition)/).*/node_modules/'],
  // Integration specs start a real database, session service and gateway per file.
  testTimeout: 30_000,
});
