// Unit specs of the bench's own helpers (pacing, reporting, profile summary);
// the benchmark itself runs only through `npm run bench`.
module.exports = {
  displayName: 'bench',
  preset: '../jest.preset.js',
  rootDir: '.',
  coverageDirectory: '../coverage/bench',
};
