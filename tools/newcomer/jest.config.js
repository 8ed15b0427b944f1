const { projectConfig } = require('../jest/project-config');

// The newcomer's path: `npm start` from nothing (the embedded database built
// from empty Go caches) and kept alive. Never answered from the Nx cache (see
// project.json): what it checks lives outside the repository (the Go module
// proxy, the toolchain), so an unchanged tree proves nothing.
module.exports = projectConfig(__dirname, {
  // One file at a time: the cold build takes both cores, and timings of the others would suffer.
  maxWorkers: 1,
  testTimeout: 60_000,
});
