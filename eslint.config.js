// Lint gates: typescript-eslint (no explicit any), React hooks, and the one-way layering of
// STYLE.md enforced with import-x/no-restricted-paths and import-x/no-cycle.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const src = (dir) => `./src/${dir}`;

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'public/data',
      'reports',
      'test-results',
      'playwright-report',
      '*.tmp.*',
      // AssemblyScript (its own types: f32, v128, ...); compiled by scripts/build-kernels.ts.
      'assembly',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**', 'e2e/**', 'bench/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The benchmark's page callbacks run in the browser.
    files: ['scripts/bench.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    languageOptions: { parserOptions: { projectService: false } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-globals': [
        'error',
        { name: 'Math.random', message: 'Use a seeded Rng from src/data/rng.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Pass a seeded Rng (src/data/rng) instead.',
        },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: src('core'),
              from: [
                src('schema'),
                src('engine'),
                src('data'),
                src('export'),
                src('worker'),
                src('state'),
                src('ui'),
                src('cli'),
              ],
              message:
                'core/ is the pure layer (registries, schedules, criteria, layer shapes): it imports nothing from the app.',
            },
            {
              target: src('schema'),
              from: [
                src('engine'),
                src('data'),
                src('worker'),
                src('state'),
                src('ui'),
                src('cli'),
              ],
              message: 'schema/ is pure and imports only core/.',
            },
            {
              target: src('data'),
              from: [src('engine'), src('worker'), src('state'), src('ui'), src('cli')],
              message: 'data/ imports nothing from the app.',
            },
            {
              target: src('export'),
              from: [
                src('engine'),
                src('data'),
                src('worker'),
                src('state'),
                src('ui'),
                src('cli'),
              ],
              message:
                'export/ writes files from a config alone: it imports only schema/ and core/.',
            },
            {
              target: src('engine'),
              from: [src('worker'), src('state'), src('ui'), src('cli')],
              message: 'engine/ is pure TypeScript + tfjs and imports nothing from the app.',
            },
            {
              target: src('worker'),
              from: [src('state'), src('ui'), src('cli')],
              message: 'The worker never imports the UI, the store or the CLI.',
            },
            {
              target: src('state'),
              from: [src('engine'), src('data'), src('ui'), src('cli')],
              message: 'state/ reaches the engine only through the worker client and protocol.',
            },
            {
              target: src('state'),
              from: src('worker'),
              except: ['./protocol.ts', './engine-client.ts'],
              message: 'state/ may use only worker/protocol.ts and worker/engine-client.ts.',
            },
            {
              target: src('ui'),
              from: [src('engine'), src('data'), src('cli')],
              message: 'ui/ goes through state/.',
            },
            {
              target: src('ui'),
              from: src('worker'),
              except: ['./protocol.ts'],
              message: 'ui/ may use only the protocol types from worker/.',
            },
            {
              target: src('sw'),
              from: [
                src('core'),
                src('schema'),
                src('engine'),
                src('data'),
                src('export'),
                src('worker'),
                src('state'),
                src('ui'),
                src('cli'),
              ],
              message:
                'sw/ (the service worker and its registration) imports nothing from the app.',
            },
            {
              target: src('cli'),
              from: [src('state'), src('ui')],
              message: 'The CLI never imports the store or the UI.',
            },
            {
              target: src('cli'),
              from: src('worker'),
              except: ['./engine-host.ts', './protocol.ts'],
              message:
                'The CLI runs the engine host (one run loop with the app): it may use only worker/engine-host.ts and worker/protocol.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may reach across layers to set up real engines.
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
);
