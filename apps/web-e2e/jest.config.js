module.exports = {
  displayName: 'web-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['**/*.e2e-spec.ts'],
  // Each spec file starts a database, the session service, the gateway and a
  // browser; one file at a time keeps two cores from being oversubscribed.
  maxWorkers: 1,
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/web-e2e',
};
