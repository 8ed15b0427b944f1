module.exports = {
  displayName: 'grpc-client',
  preset: '../../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../../coverage/libs/grpc-client',
};
