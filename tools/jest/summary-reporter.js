// Writes one small JSON summary per Jest run, named after the project, so the
// workspace test script can add up counts across projects. Nx lists the file as
// an output of `test`, so a cached run restores the counts with the logs.
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const workspaceRoot = join(__dirname, '..', '..');

function projectName(testContexts, results) {
  const names = [...testContexts].map((c) => c.config.displayName).concat(results.testResults.map((r) => r.displayName));
  for (const name of names) {
    const text = typeof name === 'string' ? name : name?.name;
    if (text) return text;
  }
  return undefined;
}

class SummaryReporter {
  constructor(globalConfig, options = {}) {
    this.outputDir = options.outputDir ?? join(workspaceRoot, 'reports', 'test-results');
  }

  onRunComplete(testContexts, results) {
    const project = projectName(testContexts, results);
    // Without a displayName there is no stable file name to write; the summary script then reports the project as missing.
    if (!project) return;
    const summary = {
      project,
      passed: results.numPassedTests,
      // A suite that failed to load runs no test: it still counts as a failure.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      suites: results.numTotalTestSuites,
    };
    mkdirSync(this.outputDir, { recursive: true });
    const file = join(this.outputDir, `${project}.json`);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(summary)}\n`);
    renameSync(`${file}.tmp`, file);
  }
}

module.exports = SummaryReporter;
