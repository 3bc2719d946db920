// Typed documents, from the committed SDL: for the web client (the operations in client/src) and
// for the tests (those in tests/, so a schema change breaks a test at compile time).
// `npm run codegen` regenerates both (`npm ci` too). The client's is committed and
// `npm run codegen:check` fails when it is stale; the tests' is made at install (tests/gql is ignored).
import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
  avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'client/src/gql/': {
      documents: ['client/src/**/*.{ts,tsx}', '!client/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typesConfig,
    },
    // The tests run under NodeNext resolution: relative imports need their extension.
    'tests/gql/': {
      documents: ['tests/**/*.ts', '!tests/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...typesConfig, importExtension: '.js' },
    },
  },
};

export default config;
