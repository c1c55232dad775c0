import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Node built-ins and I/O packages that must stay out of pure and workflow code.
const IO = [
  'typeorm', 'pg', 'better-sqlite3', '@nestjs/*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity',
  '@temporalio/testing', 'fs', 'node:*', 'http', 'https', 'net', 'child_process', 'os', 'path', 'crypto', 'axios',
];

export default [
  { ignores: ['**/node_modules/**', 'dist/**', 'apps/web/dist/**', 'apps/web/.build-*/**', 'apps/web/dist.old-*/**', '.tools/**', '.data/**', '.nx/**', 'bin/**', 'scripts/**', 'jest.*.js', 'jest.config.js', 'bench-results/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'], bannedExternalImports: IO },
            { sourceTag: 'type:workflow', onlyDependOnLibsWithTags: ['type:pure', 'type:workflow'], bannedExternalImports: IO },
            { sourceTag: 'type:io', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:workflow'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:workflow'] },
            // The web console runs in a browser: pure code only, no Node or server packages.
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:pure'], bannedExternalImports: [...IO, '@temporalio/*', 'exceljs', 'pdfkit', 'docx', 'jose', '@node-rs/*', 'prom-client'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:pure', 'type:io', 'type:workflow', 'type:app'] },
            // Layers (README, Architecture): apps → services → adapters / engine → model, never back.
            { sourceTag: 'layer:model', onlyDependOnLibsWithTags: ['layer:model'] },
            { sourceTag: 'layer:engine', onlyDependOnLibsWithTags: ['layer:model', 'layer:engine'] },
            { sourceTag: 'layer:adapters', onlyDependOnLibsWithTags: ['layer:model', 'layer:engine', 'layer:adapters'] },
            { sourceTag: 'layer:services', onlyDependOnLibsWithTags: ['layer:model', 'layer:engine', 'layer:adapters', 'layer:services'] },
            { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:model', 'layer:engine', 'layer:adapters', 'layer:services'] },
          ],
        },
      ],
    },
  },
  {
    // Node built-ins are not in the project graph, so the boundary rule cannot see them: ban them here.
    files: ['libs/{model,engine}/*/src/**/*.ts', 'workflows/src/**/*.ts', 'rules/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'worker_threads'], message: 'Pure and workflow code does no I/O: move it to an activity or an io lib.' }] },
      ],
    },
  },
  {
    // The web console's browser code: Node built-ins are not in the project graph either.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    // Unit specs run in jest on Node and read the rules' own files.
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'worker_threads', 'stream', 'buffer', 'util'], message: 'The web console runs in a browser: no Node modules.' }] },
      ],
    },
  },
  {
    // Tests may read files and use the node test helpers.
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
