module.exports = {
  displayName: 'rest-contract',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/rest-contract',
};
