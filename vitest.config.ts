// One run, two projects: the whole suite on embedded PGlite, and again on PostgreSQL (+ Redis)
// when DATABASE_URL is set. Each test file starts its own server and makes its own users.
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const databaseUrl = process.env.DATABASE_URL;
const shared = {
  include: ['tests/**/*.test.ts'],
  exclude: ['tests/e2e/**', 'node_modules/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

// One graphql for everything, as under Node: Vite would give our own modules graphql's ES build
// (its "module" field) while the packages that build and run the schema load its CommonJS build
// through Node, and graphql-js refuses objects of the other copy.
const resolve = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };

const projects: (TestProjectInlineConfiguration | string)[] = [
  { resolve, test: { ...shared, name: 'pglite', env: { TEST_DATABASE_URL: '', TEST_REDIS_URL: '' } } },
  // The web client's component tests (jsdom) and the browser tests (Chromium, PGlite).
  'client/vitest.config.ts',
  'vitest.e2e.config.ts',
];
if (databaseUrl) {
  projects.push({
    resolve,
    test: {
      ...shared,
      name: 'postgres',
      env: { TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: process.env.REDIS_URL ?? '' },
      globalSetup: ['tests/helpers/migrate-postgres.ts'],
    },
  });
}

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
