// ESLint for the whole tree: `npx eslint --max-warnings=0 .`
//
// TypeScript (.ts/.mts) is linted type-aware (typescript-eslint's recommended-type-checked set, with the
// type information from the root tsconfig.json through the project service). Plain JavaScript (the Node
// scripts under bin/ and scripts/, and this file) gets ESLint's untyped recommended rules only.
// No formatting rules are enabled anywhere: Prettier owns formatting, and neither preset used here
// contains stylistic rules, so eslint-config-prettier is not needed.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The Node globals the plain-JS scripts use (ESLint's `no-undef` needs them declared).
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextDecoder',
    'TextEncoder',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'global',
    'globalThis',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

export default defineConfig(
  globalIgnores(['**/node_modules/**', '**/dist/**', '**/coverage/**', 'flink/**', '.pulse/**']),

  // Plain JavaScript: untyped recommended rules only.
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', globals: nodeGlobals },
    rules: {
      'no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-unused-expressions': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },

  // TypeScript: type-aware.
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // The root tsconfig.json includes every .ts/.mts file under its folders, but at the root only
          // `*.ts`: the root's vitest.config.mts gets a default project.
          allowDefaultProject: ['*.mts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The rules this codebase most needs, as errors (all are in the preset; stated so they stay errors).
      '@typescript-eslint/no-floating-promises': 'error',
      // `attributes: false`: JSX attributes only, of which there are none. The void-return check stays on
      // for arguments: Nest handlers and kafkajs's eachMessage are typed to return promises and pass, while
      // an async callback handed to Node's `createServer` or an EventEmitter loses its rejection, so those
      // wrap the work as `void work().catch(...)` (see tools/chdb-server/src/http-server.ts).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          // `const { secret, ...rest } = x` drops a property on purpose.
          ignoreRestSiblings: true,
        },
      ],
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'error',

      // Off: the `async` methods without an `await` here are deliberate. They implement promise-returning
      // interfaces (the queue stores, the service specs' command()/prepare(), the fakes behind the
      // repositories, Nest's onModuleDestroy), and `async` makes a synchronous throw a rejection, as a
      // caller of a promise-returning method expects. `Promise.resolve(...)` instead would lose that.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Tests and benchmarks: the same type-aware rules (floating promises, misused promises, thenables,
  // unused code stay errors), less the ones that only fight the test idioms.
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', '**/*.bench.ts', 'scripts/test-runner/fixtures/**/*.ts'],
    rules: {
      // `expect(fake.method).toHaveBeenCalled()` and `run(activities().prepareJobJar)` pass methods that
      // never use `this` (vi.fn mocks, Temporal activity objects); the rule cannot tell them apart.
      '@typescript-eslint/unbound-method': 'off',
      // Tests read untyped data on purpose: `res.json()` / `inject().json()` bodies, `expect.any(...)`
      // matchers (typed `any`), and browser globals inside Playwright's `page.evaluate`. The assertions
      // check the shape; declaring a type for each body first would add casts and catch nothing.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
