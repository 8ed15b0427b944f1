const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  // Own suffixes, so coverage and mutation runs of the other projects never pick these up.
  testMatch: ['**/*.fault-spec.ts', '**/*.property-spec.ts', '**/*.contract-spec.ts'],
  // Every file starts a database, a session service and a gateway and then
  // kills or stops them on purpose; one file at a time keeps timings honest on two cores.
  maxWorkers: 1,
  testTimeout: 60_000,
});
