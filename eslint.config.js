// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'node_modules/', 'var/', 'scratch/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'multi-line'],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config/load-config.ts.' },
      ],
    },
  },
  {
    files: ['src/domain/**', 'src/search/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', '@fastify/*', 'kysely', 'pg', '@electric-sql/*', 'prom-client'],
              message: 'Business code stays free of frameworks and drivers.',
            },
            { group: ['**/http/**', '**/storage/**', '**/cli/**', '**/observability/**'], message: 'Depend on ports, not on adapters.' },
          ],
        },
      ],
    },
  },
  {
    // Typed-array hot loops index within bounds they have just checked.
    files: ['src/search/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['src/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/storage/**', 'kysely', 'pg'], message: 'Routes call services, never storage.' }] },
      ],
    },
  },
  {
    files: ['src/config/load-config.ts', 'test/**', 'bench/**', '**/*.test.ts', 'vitest.config.ts', 'vitest.e2e.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests of domain code may build their fixtures with the real adapters.
    files: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    // Tool configuration files must default-export their configuration.
    files: ['eslint.config.js', 'vitest.config.ts', 'vitest.e2e.config.ts', 'vitest.browser.config.ts', 'vitest.fuzz.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
