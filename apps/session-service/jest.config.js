module.exports = {
  displayName: 'session-service',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/session-service',
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/testing/**', '!src/**/*.spec.ts', '!src/**/*.integration-spec.ts'],
  // Integration specs start a real database and gRPC server per file.
  testTimeout: 30_000,
};
