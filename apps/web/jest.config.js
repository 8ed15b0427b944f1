module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: ['@testing-library/jest-dom'],
  coverageDirectory: '../../coverage/apps/web',
};
