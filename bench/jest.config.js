const { projectConfig } = require('../tools/jest/project-config');

// Unit specs of the bench's own helpers (pacing, reporting, profile summary);
// the benchmark itself runs only through `npm run bench`.
module.exports = projectConfig(__dirname);
