module.exports = {
  displayName: 'react-session',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // jsdom gives the provider localStorage, StorageEvent and document; fetch is always injected.
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['@testing-library/jest-dom'],
  coverageDirectory: '../../coverage/libs/react-session',
};
