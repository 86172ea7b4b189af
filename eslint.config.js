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
    // `import { z } from 'zod'` (or the default export) pulls all of zod into every bundle: esbuild cannot
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
            "Import zod as a namespace, `import * as z from 'zod'`, so the bundle keeps only what it uses.",
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
