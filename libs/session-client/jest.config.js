const { projectConfig } = require('../../tools/jest/project-config');

module.exports = projectConfig(__dirname, {
  // @fastify/cookie (used by the plugin spec) loads the ESM-only cookie 2.x with import(), which
  // Jest's CommonJS runtime refuses; transforming both turns that import into a require.
  transformIgnorePatterns: ['^(?!.*/node_modules/(cookie|@fastify/cookie)/).*/node_modules/'],
});
