import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/generated/**', '**/coverage', '.nx/**', 'tmp/**', 'reports/**', '.stryker-tmp/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Every project's jest.config.js builds its config with this workspace helper (it is no project's code).
          allow: ['^(\\.\\./)+(tools/)?jest/project-config$'],
          depConstraints: [
            { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:shared', 'scope:backend'] },
            { sourceTag: 'scope:frontend', onlyDependOnLibsWithTags: ['scope:shared', 'scope:frontend'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Code the browser loads must never pull in Node-only libraries.
            { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser'] },
          ],
        },
      ],
    },
  },
  {
    // Every spec kind: *.spec.ts(x) and the kinds named *.<kind>-spec.ts (integration, e2e, property, fault, ...).
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*-spec.ts', '**/*-spec.tsx', '**/testing/**/*.ts', '**/testing/**/*.tsx'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
