const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  // jsdom gives the provider localStorage, StorageEvent and document; fetch is always injected.
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['@testing-library/jest-dom'],
});
