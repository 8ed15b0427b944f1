const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  testMatch: ['**/*.e2e-spec.ts'],
  // Each spec file starts a database, the session service, the gateway and a
  // browser; one file at a time keeps two cores from being oversubscribed.
  maxWorkers: 1,
  testTimeout: 60_000,
});
