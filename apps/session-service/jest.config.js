const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/testing/**', '!src/**/*.spec.ts', '!src/**/*.integration-spec.ts'],
  // Enforced on every `nx run session-service:test` (project.json turns coverage on); main.ts is
  // process wiring, covered by the specs that spawn the built bundle.
  coverageThreshold: { global: { lines: 95, branches: 95 } },
  // Integration specs start a real database and gRPC server per file.
  testTimeout: 30_000,
});
