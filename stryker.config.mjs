// Mutation testing (`npm run test:mutation`): the session service's domain rules
// and repository, and the gateway's error mapping, against the specs that
// exercise them. One Jest configuration covers both apps so one report and one
// score come out (StrykerJS does not run Jest `projects`).
//
// Paths below stay relative: Jest runs inside Stryker's sandbox copy
// (.stryker-tmp/sandbox-*), where `workspaceRoot()` of @session/testing finds
// the copied nx.json and dist/tools/embedded-db, so the integration specs
// start their own embedded database there.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sessionServiceJest = require('./apps/session-service/jest.config.js');
const gatewayJest = require('./apps/gateway/jest.config.js');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  checkers: [],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  mutate: [
    'apps/session-service/src/domain/**/*.ts',
    'apps/session-service/src/db/**/*.ts',
    'apps/gateway/src/errors/**/*.ts',
    '!**/*.spec.ts',
    '!**/*.integration-spec.ts',
  ],
  jest: {
    projectType: 'custom',
    config: {
      displayName: 'mutation',
      preset: './jest.preset.js',
      roots: ['<rootDir>/apps/session-service/src', '<rootDir>/apps/gateway/src'],
      // Only the specs that exercise the mutated folders: the process specs run
      // the built bundles, which Stryker never mutates, and the sweeper's specs
      // (its timing loops) add minutes while the repository specs cover its queries.
      testMatch: [
        '<rootDir>/apps/session-service/src/{domain,db}/**/*.{spec,integration-spec}.ts',
        '<rootDir>/apps/session-service/src/grpc/{session-handlers.integration-spec,unary-wrapper.spec}.ts',
        '<rootDir>/apps/gateway/src/errors/**/*.spec.ts',
        '<rootDir>/apps/gateway/src/plugins/app/error-handler.spec.ts',
      ],
      // The gateway's list transforms the ESM-only cookie packages; a superset of the session service's.
      transformIgnorePatterns: gatewayJest.transformIgnorePatterns,
      testTimeout: Math.max(sessionServiceJest.testTimeout, gatewayJest.testTimeout),
    },
  },
  // Nothing the mutated code or its specs read; keeps the two sandbox copies small.
  ignorePatterns: [
    '/.nx',
    '/.data',
    '/tmp',
    '/coverage',
    '/reports',
    '/test-artifacts',
    '/bench',
    '/deploy',
    '/apps/web',
    '/apps/web-e2e',
    '/apps/system-tests',
    '/dist/apps/web',
    '/dist/bench',
  ],
  // Generous on a shared machine: a slow but finishing run must count as killed or survived, not
  // as a timeout (which would count as detected); genuine hangs still end here.
  timeoutMS: 10_000,
  // A rerun only retests mutants whose code or covering specs changed since the last report.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false },
  thresholds: { high: 90, low: 80, break: 80 },
};
