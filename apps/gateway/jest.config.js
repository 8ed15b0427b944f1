module.exports = {
  displayName: 'gateway',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/apps/gateway',
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/**/*.spec.ts', '!src/**/*.integration-spec.ts', '!src/testing/**'],
  // @fastify/cookie loads the ESM-only cookie 2.x with import(), which Jest's CommonJS runtime
  // refuses; transforming both turns that import into a require.
  transformIgnorePatterns: ['^(?!.*/node_modules/(cookie|@fastify/cookie|content-disposition)/).*/node_modules/'],
  // Integration specs start a real database, session service and gateway per file.
  testTimeout: 30_000,
};
