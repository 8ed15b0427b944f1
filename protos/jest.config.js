module.exports = {
  displayName: 'protos',
  preset: '../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../coverage/protos',
};
