// ESLint flat config. TypeScript is linted with typescript-eslint's
// type-checked rules (through the project service, which finds each file's
// tsconfig); JavaScript (scripts, the e2e suite, webpack's config) with the
// recommended rules for CommonJS on Node. Formatting is Prettier's job, so
// eslint-config-prettier turns the stylistic rules off.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'dist-vsix/',
      '.cache/',
      'test-output/',
      'test/e2e/workspace/',
      'test/fixtures/',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Closures above an assignment read the variable later; const cannot express that.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Product code in src/core runs in Node, workers, the CLI and tests: never in VS Code.
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts', 'src/worker/**/*.ts', 'src/cli/**/*.ts', 'webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/extension/ may import vscode.', allowTypeImports: false }] },
      ],
    },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: {
      // mocha's describe/it return values that tests never await.
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Specs hand callbacks to page.evaluate, which run in the workbench page.
    files: ['test/e2e/**/*.js'],
    languageOptions: { globals: { ...globals.mocha, ...globals.browser } },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  prettier,
);
