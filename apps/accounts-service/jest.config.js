const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/testing/**', '!src/**/*.spec.ts', '!src/**/*.integration-spec.ts'],
  // Integration specs start a database, a session service and this service, and hash at the real
  // scrypt cost (a few hundred ms per password on two cores).
  testTimeout: 60_000,
});
