// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', '.data/', 'artifacts/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Workflow handlers close over state assigned later in the run; that is not a missed const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Migrations are frozen in time: they see the schema as it was, untyped, never the app's types.
    files: ['db/migrations/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Workflow code is replayed deterministically inside Temporal's sandbox: no Node built-ins,
    // no I/O libraries, no activity implementations (types only).
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflows must not use Node built-ins.' },
            { group: ['../activities/*', '../activities', '../db/*', '../api/*', '../worker/*', '../gateways/*'], allowTypeImports: true, message: 'Workflows may import these as types only.' },
            { group: ['pg', 'kysely', 'pino', 'hono', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflows must not do I/O.' },
          ],
          paths: ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'process', 'timers', 'events', 'stream', 'url', 'util', 'buffer', 'worker_threads', 'dns', 'tls', 'zlib'].map((name) => ({ name, message: 'Workflows must not use Node built-ins.' })),
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows must not read the environment.' }, { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' }],
    },
  },
  // The layers above the services: the JSON API and the pages are two faces over the same services, and
  // neither imports the other; the services import neither face.
  {
    files: ['pages/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../api', '../api/*', '../../api', '../../api/*', '../../../api', '../../../api/*'], message: 'Pages call services/, never the JSON API.' }] }],
    },
  },
  {
    files: ['api/**/*.ts'],
    // The composition root: the one module that mounts the pages beside the API on the same app.
    ignores: ['api/app.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../pages', '../pages/*', '../../pages', '../../pages/*'], message: 'The JSON API does not import pages; app.ts mounts them through pages/index.ts.' }] }],
    },
  },
  {
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../api', '../api/*', '../../api', '../../api/*', '../pages', '../pages/*', '../../pages', '../../pages/*'], message: 'Services are called by the API and the pages, and import neither.' }] },
      ],
    },
  },
);
