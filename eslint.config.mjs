// The linter and the formatter (npm run check; npm run format applies the fixes): ESLint with
// typescript-eslint's type-aware rules for what the type checker does not catch (floating promises,
// unused code, type-only imports) and @stylistic's rules as the formatter, set to the project's
// style (two-space indent, single quotes, semicolons, one-line blocks allowed). Zero warnings.

import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

const style = {
  '@stylistic/indent': ['error', 2, { SwitchCase: 1, flatTernaryExpressions: true, offsetTernaryExpressions: false, ignoredNodes: ['TemplateLiteral *', 'ConditionalExpression'] }],
  '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
  '@stylistic/semi': ['error', 'always'],
  '@stylistic/comma-dangle': ['error', 'always-multiline'],
  '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
  '@stylistic/arrow-parens': ['error', 'always'],
  '@stylistic/arrow-spacing': 'error',
  '@stylistic/block-spacing': 'error',
  '@stylistic/comma-spacing': 'error',
  '@stylistic/key-spacing': 'error',
  '@stylistic/keyword-spacing': 'error',
  '@stylistic/space-before-blocks': 'error',
  '@stylistic/space-infix-ops': 'error',
  '@stylistic/space-in-parens': 'error',
  '@stylistic/type-annotation-spacing': 'error',
  '@stylistic/no-trailing-spaces': 'error',
  '@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0 }],
  '@stylistic/eol-last': 'error',
  '@stylistic/member-delimiter-style': 'error',
};

export default tseslint.config(
  // Generated tables (their generators' output is checked by test/generated) are not formatted by hand.
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'test/engine/fixtures/**', 'test/**/go/**', 'server/src/engine/k8s/openapi-data.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', __dirname: 'readonly', globalThis: 'readonly', queueMicrotask: 'readonly' },
    },
    plugins: { '@stylistic': stylistic },
    rules: {
      ...style,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `void name;` silences an unused name instead of removing it; `void promise` (a deliberately unawaited call) stays allowed.
      'no-restricted-syntax': ['error', { selector: 'ExpressionStatement > UnaryExpression[operator="void"] > Identifier', message: 'remove the unused name instead of silencing it with void' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // JSON from the API server and from YAML is untyped by nature; the type checker is strict elsewhere.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Callbacks Playwright runs in the page.
    files: ['test/e2e/**', 'test/browser/**'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
  {
    // Type-aware rules where the type checker sees the code (tsconfig.json: the TypeScript files).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
);
