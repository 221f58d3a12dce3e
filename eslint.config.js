// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependencies point down: pages/api -> services -> workflows/activities -> gateways/db -> domain/core.
const FOLDERS = ['core', 'domain', 'db', 'gateways', 'activities', 'workflows', 'services', 'api', 'pages', 'telemetry', 'worker', 'devstack', 'scripts', 'test'];
const relativeImportOf = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** Files in `folder` may import only the folders in `allowed` (and, as types only, those in `typesOnly`). */
function layer(folder, allowed, typesOnly = []) {
  const forbidden = FOLDERS.filter((name) => !allowed.includes(name) && !typesOnly.includes(name));
  const patterns = [{ regex: relativeImportOf(forbidden), message: `${folder}/ may import only ${allowed.join(', ')}.` }];
  if (typesOnly.length > 0) {
    patterns.push({ regex: relativeImportOf(typesOnly), allowTypeImports: true, message: `${folder}/ may import ${typesOnly.join(', ')} as types only.` });
  }
  return { files: [`${folder}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

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
  layer('core', ['core']),
  layer('domain', ['domain', 'core']),
  layer('db', ['db', 'domain', 'core']),
  // Gateways sit beside db/, not above it: each gateway's context loads its credentials, and the sandbox
  // keeps its books, through db/ functions. db/ never imports gateways/.
  layer('gateways', ['gateways', 'db', 'domain', 'core']),
  // Activities implement what workflows call; the workflows' message types may be shared.
  layer('activities', ['activities', 'gateways', 'db', 'domain', 'core'], ['workflows']),
  // The two faces over the services: the JSON API and the pages never import each other, and services
  // import neither. app.ts is the composition root that mounts the pages beside the API.
  layer('services', ['services', 'workflows', 'activities', 'gateways', 'db', 'domain', 'core']),
  { ...layer('api', ['api', 'services', 'workflows', 'gateways', 'db', 'domain', 'core', 'telemetry']), ignores: ['api/app.ts'] },
  layer('pages', ['pages', 'services', 'gateways', 'db', 'domain', 'core']),
  // The process's tracer provider, for the entry points (api/, worker/): beside core, importing only it.
  layer('telemetry', ['telemetry', 'core']),
);
