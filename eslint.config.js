import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'cdk.out', '.data', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Domain code stays free of AWS: adapters are the only place the SDK is imported.
      'no-restricted-imports': 'off',
    },
  },
  {
    // `import { z } from 'zod/mini'` (or the default export) pulls all of zod into every bundle: esbuild cannot
    // drop what the module-level `z` object holds. A namespace import keeps it tree-shakable (each
    // function's bundle lost about 440 KB, see bench/bundles.ts).
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value=/^zod(\\/|$)/] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            "Import zod as a namespace, `import * as z from 'zod/mini'`, so the bundle keeps only what it uses.",
        },
        {
          // Classic zod (its methods on every schema, its English locale loaded at import) is ~90 KB of a
          // bundle and 5–9 ms of a cold start for one schema; one import anywhere brings all of it back.
          selector:
            ':matches(ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=/^zod(?!\\/(mini|locales)$)/]',
          message:
            "Use `import * as z from 'zod/mini'` (functional checks: `z.string().check(z.minLength(1))`): classic zod brings ~90 KB into every bundle that imports it.",
        },
        {
          // luxon is ~70 KB of a bundle and ~5 ms of a cold start; no function needs it any more.
          selector:
            ':matches(ImportDeclaration, ExportNamedDeclaration, ExportAllDeclaration, ImportExpression)[source.value=/^luxon(\\/|$)/]',
          message:
            'Use functions/domain/stockholm-dates.ts (Intl, tested against luxon): luxon brings ~70 KB into every bundle that imports it.',
        },
      ],
    },
  },
  {
    files: ['functions/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', 'aws-cdk-lib*', '**/adapters/**'] }],
    },
  },
);
