// ESLint flat config. Besides the usual recommended rules it enforces the process boundaries:
// only electron/ may import `electron`, because everything else also runs in plain Node (the
// engine, the CLI, the browser host, the tests), and core code logs through the project logger.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'resources/',
      '.data/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // Off because ranges such as /[^\u0000-\u007f]/ (is the text ASCII?) are deliberate in
      // text handling, and the rule reports every one of them.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only files under electron/ may import electron: this code also runs in plain Node (engine, CLI, browser host, tests).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
    },
  },
  {
    // Core code logs through core/log/logger.ts; the command-line entry points print on purpose.
    files: ['core/**/*.ts'],
    ignores: ['core/cli/**', 'core/**/main.ts'],
    rules: { 'no-console': 'error' },
  },
);
