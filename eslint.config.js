// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNodePaths = nodeBuiltins.map((name) => ({ name, message: 'This layer must not import Node built-ins.' }));
const noElectron = { group: ['electron', 'electron/*'], message: 'Only electron/ may import electron.' };
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'location'].map((name) => ({
  name,
  message: 'shared/ is isomorphic: no DOM globals.',
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [noElectron] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/phone/bot/**', 'shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: noNodePaths, patterns: [noElectron, { group: ['react', 'react-dom', 'react/*'], message: 'shared/ has no UI.' }] }],
      'no-restricted-globals': ['error', ...domGlobals, { name: 'process', message: 'shared/ is isomorphic: no process.' }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { paths: noNodePaths, patterns: [noElectron] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The renderer has no Node process.' }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Use the typed bridge wrappers (electron/main/ipc, electron/preload) instead of raw IPC.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/ipc/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
