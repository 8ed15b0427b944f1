// A project's Jest config from its folder: the shared preset, the folder as rootDir, the
// folder's name as displayName (the Nx project name; the test summary files are named after
// it) and coverage/<path of the project>. A project's jest.config.js passes only what is its own.
const { basename, join, relative } = require('node:path');

const workspaceRoot = join(__dirname, '..', '..');

function projectConfig(projectDir, own = {}) {
  return {
    displayName: basename(projectDir),
    preset: join(workspaceRoot, 'jest.preset.js'),
    rootDir: projectDir,
    coverageDirectory: join(workspaceRoot, 'coverage', relative(workspaceRoot, projectDir)),
    ...own,
  };
}

module.exports = { projectConfig };
