const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname);
