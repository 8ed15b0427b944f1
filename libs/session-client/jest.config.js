module.exports = {
  displayName: 'session-client',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/session-client',
};
